/**
 * Service worker, pages and DB workers, over the BroadcastChannel INGEST_CHANNEL. The inbox and the outbox live
 * in IndexedDB; these messages only say "look again" or "fetch again".
 */

export type IngestMessage =
	/** SW → DB workers: the inbox has entries up to `offset` (written and committed before this was sent). */
	| { ns: 'replica-ingest'; kind: 'inbox'; offset: string }
	/** Active DB worker → SW: the inbox has a gap after `from`; move the cursor back and fetch again from there. */
	| { ns: 'replica-ingest'; kind: 'refetch'; from: string }
	/** Anyone → everyone: the outbox changed (an entry was added, accepted, rejected or removed). */
	| { ns: 'replica-ingest'; kind: 'outbox' };

export function isIngestMessage(data: unknown): data is IngestMessage {
	return (data as IngestMessage | undefined)?.ns === 'replica-ingest';
}

/** Fetched by every DB worker every KEEPALIVE_MS; answered by the service worker, which it keeps alive. */
export const KEEPALIVE_PATH = '/__replica/keepalive';
export const KEEPALIVE_MS = 20_000;
