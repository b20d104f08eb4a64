/**
 * The IndexedDB database shared by the service worker (which writes the inbox and the cursor) and the active DB
 * worker (which drains the inbox into SQLite). Invariants: an inbox record and the cursor after it are written in
 * one IndexedDB transaction before anyone is told of them; a record is deleted only after the replica has committed
 * the offset at its end, so whoever dies in between, each event is still in IndexedDB or already in SQLite.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Command, CommandRejected } from './commands';
import { parseOffset } from './offsets';

/**
 * One fetched batch of events, in stream order (one record per batch, not per event: a 100k backlog lands in a few
 * dozen puts). Offsets are counts (see #lib/shared/offsets): event i ends at start + i + 1, the last one at `offset`.
 * Records never hold zero events. They may overlap after a re-read (the tail moved back to the applied offset);
 * the replica skips events it already has.
 */
export interface InboxRecord {
	/** The stream offset after the last event: the key, so that records sort in stream order. */
	offset: string;
	/** The stream offset before the first event. */
	start: string;
	/**
	 * The events as the text of a JSON array (the live tail keeps the server's own): IndexedDB and postMessage copy
	 * one string for a fraction of what cloning its objects costs (both ways: ~2 µs an event, measured in Node), and
	 * the one reader that needs the objects, the active DB worker, parses it once.
	 */
	eventsJson: string;
}

/**
 * A record as versions before 2026-12-02 wrote it: the inbox may still hold some after an update, and a service
 * worker of that version may still be running while a newer page's DB worker drains.
 */
export interface InboxRecordOfObjects extends Omit<InboxRecord, 'eventsJson'> {
	events: unknown[];
}

/** What a reader of the inbox (or of a ride-along) may find. */
export type StoredInboxRecord = InboxRecord | InboxRecordOfObjects;

/**
 * A command the user made, durable before the UI shows it. Life: queued → accepted (the server appended its
 * events; the entry goes once the replica has applied up to `acceptedOffset`) or rejected (kept, with the reason,
 * until the user retries or discards it).
 */
export interface OutboxRecord {
	id: string;
	command: Command;
	/** Who sent it and when, for the optimistic row. */
	authorId: string;
	createdAt: string;
	state: 'queued' | 'accepted' | 'rejected';
	attempts: number;
	/** Epoch milliseconds before which a queued command is not retried (backoff). */
	nextAttemptAt: number;
	lastError?: string;
	acceptedOffset?: string;
	rejection?: Omit<CommandRejected, 'ok'>;
}

/** How many events a record holds (its offsets are counts). */
export function inboxEventCount(record: Pick<InboxRecord, 'start' | 'offset'>): number {
	return (parseOffset(record.offset) ?? 0) - (parseOffset(record.start) ?? 0);
}

export interface ReplicaIdbSchema extends DBSchema {
	inbox: { key: string; value: StoredInboxRecord };
	outbox: { key: string; value: OutboxRecord; indexes: { createdAt: string } };
	/** `cursor`: the offset after the last event written to the inbox; the live tail resumes from it. */
	meta: { key: string; value: string };
}

export type ReplicaIdb = IDBPDatabase<ReplicaIdbSchema>;

export const IDB_NAME = 'replica';

export function openReplicaIdb(): Promise<ReplicaIdb> {
	return openDB<ReplicaIdbSchema>(IDB_NAME, 1, {
		upgrade(db) {
			db.createObjectStore('inbox', { keyPath: 'offset' });
			db.createObjectStore('meta');
			db.createObjectStore('outbox', { keyPath: 'id' }).createIndex('createdAt', 'createdAt');
		}
	});
}

/** BroadcastChannel between the service worker and the DB workers (see #lib/shared/ingest-protocol). */
export const INGEST_CHANNEL = 'replica:ingest';
