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

/**
 * The longest a new command waits for its optimistic row before it is sent. The row shows within milliseconds
 * unless the database is still opening or busy with a long catch-up batch; this bounds what that wait costs the
 * other readers (measured under a 2-core overload: up to ~300 ms).
 */
const SHOWN_BEFORE_SENT_MS = 1_000;

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

	/**
	 * Makes the command durable in IndexedDB (then resolves), shows it with `show`, and sends it once shown, or
	 * after SHOWN_BEFORE_SENT_MS. Sent at once (and Background Sync, registered at once, had the service worker send
	 * it at once), its round trip (the request, the server's event back through the service worker into the
	 * replica) shared the two cores with every tab's update for the new row: P3 p95 18–21 → 16 ms. A tab closed
	 * before the send leaves the command queued in IndexedDB, where the next keepalive of another tab or the next
	 * start of the app sends it.
	 */
	async send(command: Command, authorId: string, show: (record: OutboxRecord) => Promise<unknown>) {
		const record = await enqueueCommand(await this.#idb, command, authorId);
		const shown = show(record).catch(() => {});
		const waited = new Promise((resolve) => setTimeout(resolve, SHOWN_BEFORE_SENT_MS));
		void Promise.race([shown, waited]).then(() => {
			void registerBackgroundSync();
			this.flush({ now: true }).catch((error) =>
				console.debug('[outbox] flush failed; the service worker retries', error)
			);
		});
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
