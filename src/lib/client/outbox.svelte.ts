/**
 * The page's view of the outbox: what is still unsent, accepted but not yet in the replica, or rejected. Every
 * tab reads IndexedDB once, then takes the entries that every change broadcasts on INGEST_CHANNEL (see
 * #lib/shared/outbox for why pages do not read on news). This tab flushes right after a send or retry and, when
 * visible, when the network returns; the retry loop with backoff is the service worker's.
 */
import type { Command } from '#lib/shared/commands.ts';
import { INGEST_CHANNEL, openReplicaIdb, type OutboxRecord, type ReplicaIdb } from '#lib/shared/idb.ts';
import { isIngestMessage } from '#lib/shared/ingest-protocol.ts';
import {
	BACKGROUND_SYNC_TAG,
	discardCommand,
	enqueueCommand,
	flushOutbox,
	postCommand,
	readOutbox,
	retryCommand
} from '#lib/shared/outbox.ts';

/** Unconfirmed for this long, a command is shown as "not sent yet", with retry. */
export const NOT_SENT_AFTER_MS = 10_000;

export class Outbox {
	entries = $state<OutboxRecord[]>([]);
	readonly #idb: Promise<ReplicaIdb> = openReplicaIdb();

	start() {
		new BroadcastChannel(INGEST_CHANNEL).addEventListener('message', ({ data }) => {
			if (isIngestMessage(data) && data.kind === 'outbox') this.entries = data.entries;
		});
		addEventListener('online', () => {
			if (document.visibilityState === 'visible') void this.flush({ now: true });
		});
		void this.#idb.then(readOutbox).then((entries) => (this.entries = entries));
		this.flush().catch((error) => console.debug('[outbox] flush failed; the service worker retries', error));
	}

	get pendingCount() {
		return this.entries.filter((entry) => entry.state !== 'rejected').length;
	}

	/** Resolves once the command is durable in IndexedDB (and before it is sent). */
	async send(command: Command, authorId: string): Promise<OutboxRecord> {
		const record = await enqueueCommand(await this.#idb, command, authorId);
		void registerBackgroundSync();
		this.flush({ now: true }).catch((error) =>
			console.debug('[outbox] flush failed; the service worker retries', error)
		);
		return record;
	}

	async retry(id: string) {
		await retryCommand(await this.#idb, id);
		await this.flush({ now: true });
	}

	async discard(id: string) {
		await discardCommand(await this.#idb, id);
	}

	async flush(options: { now?: boolean } = {}) {
		await flushOutbox(await this.#idb, postCommand, options);
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
