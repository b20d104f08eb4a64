/**
 * Service worker, pages and DB workers, over the BroadcastChannel INGEST_CHANNEL. The inbox and the outbox live
 * in IndexedDB; these messages only say "look again" or "fetch again".
 */

import type { OutboxRecord, StoredInboxRecord } from './idb';

/** Records of at most this many events travel with the inbox message: the live tail's, not catch-up pages. */
export const RIDE_ALONG_MAX_EVENTS = 50;

export type IngestMessage =
	/**
	 * SW → DB workers: the inbox has entries up to `offset` (written and committed before this was sent). A small
	 * record also rides along, so the active worker can apply it without reading IndexedDB back.
	 */
	| { ns: 'replica-ingest'; kind: 'inbox'; offset: string; record?: StoredInboxRecord }
	/** Active DB worker → SW: the inbox has a gap after `from`; move the cursor back and fetch again from there. */
	| { ns: 'replica-ingest'; kind: 'refetch'; from: string }
	/** Anyone → everyone: the outbox changed (an entry was added, accepted, rejected or removed); all its entries. */
	| { ns: 'replica-ingest'; kind: 'outbox'; entries: OutboxRecord[] };

export function isIngestMessage(data: unknown): data is IngestMessage {
	return (data as IngestMessage | undefined)?.ns === 'replica-ingest';
}

/**
 * Fetched by every DB worker every KEEPALIVE_MS and answered by the service worker: it keeps the worker alive
 * (an idle one is stopped after ~30 s even with tabs open) and restarts a stopped one, whose live tail resumes
 * from the stored cursor. So the tail is never down for longer than this. The server answers it too (204), for
 * workers that started before the service worker controlled their page.
 */
export const KEEPALIVE_PATH = '/__replica/keepalive';
export const KEEPALIVE_MS = 5_000;
