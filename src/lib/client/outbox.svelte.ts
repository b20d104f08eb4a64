/**
 * The page's view of the outbox: what is still unsent, accepted but not yet in the replica, or rejected. Every
 * tab sees the same entries (IndexedDB) and hears of changes on INGEST_CHANNEL; this tab also flushes: right after
 * a send, when the network returns, and on a backoff timer while anything is queued.
 */
import type { Command } from '$lib/shared/commands';
import { INGEST_CHANNEL, openReplicaIdb, type OutboxRecord, type ReplicaIdb } from '$lib/shared/idb';
import { isIngestMessage } from '$lib/shared/ingest-protocol';
import {
	BACKGROUND_SYNC_TAG,
	discardCommand,
	enqueueCommand,
	flushOutbox,
	postCommand,
	retryCommand
} from '$lib/shared/outbox';

/** Unconfirmed for this long, a command is shown as "not sent yet", with retry. */
export const NOT_SENT_AFTER_MS = 10_000;

export class Outbox {
	entries = $state<OutboxRecord[]>([]);
	readonly #idb: Promise<ReplicaIdb> = openReplicaIdb();
	#retryTimer: ReturnType<typeof setTimeout> | undefined;

	start() {
		new BroadcastChannel(INGEST_CHANNEL).addEventListener('message', ({ data }) => {
			if (isIngestMessage(data) && data.kind === 'outbox') void this.#refresh();
		});
		addEventListener('online', () => void this.flush({ now: true }));
		void this.flush();
	}

	get pendingCount() {
		return this.entries.filter((entry) => entry.state !== 'rejected').length;
	}

	/** Resolves once the command is durable in IndexedDB (and before it is sent). */
	async send(command: Command, authorId: string): Promise<OutboxRecord> {
		const record = await enqueueCommand(await this.#idb, command, authorId);
		void this.#refresh();
		void registerBackgroundSync();
		void this.flush({ now: true });
		return record;
	}

	async retry(id: string) {
		await retryCommand(await this.#idb, id);
		await this.flush({ now: true });
	}

	async discard(id: string) {
		await discardCommand(await this.#idb, id);
		await this.#refresh();
	}

	async flush(options: { now?: boolean } = {}) {
		clearTimeout(this.#retryTimer);
		const idb = await this.#idb;
		const queuedRemain = await flushOutbox(idb, postCommand, options);
		await this.#refresh();
		if (!queuedRemain) return;
		const head = this.entries.find((entry) => entry.state === 'queued');
		if (head) this.#retryTimer = setTimeout(() => void this.flush(), Math.max(250, head.nextAttemptAt - Date.now()));
	}

	async #refresh() {
		this.entries = await (await this.#idb).getAllFromIndex('outbox', 'createdAt');
	}
}

/** Background Sync lets the service worker flush after the tab is gone (where the browser supports it). */
async function registerBackgroundSync() {
	try {
		const registration = (await navigator.serviceWorker?.ready) as
			(ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } }) | undefined;
		await registration?.sync?.register(BACKGROUND_SYNC_TAG);
	} catch (error) {
		console.debug('[outbox] background sync unavailable', error);
	}
}
