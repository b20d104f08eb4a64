/**
 * The IndexedDB database shared by the service worker (which writes the inbox and the cursor) and the active DB
 * worker (which drains the inbox into SQLite). Invariant: an inbox entry is deleted only after the replica has
 * committed its offset, so whoever dies in between, the event is still in IndexedDB or already in SQLite.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Command, CommandRejected } from './commands';

export interface InboxRecord {
	/** The stream offset after this event (see $lib/shared/offsets). */
	offset: string;
	event: unknown;
}

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

export interface ReplicaIdbSchema extends DBSchema {
	inbox: { key: string; value: InboxRecord };
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

/** BroadcastChannel between the service worker and the DB workers (see $lib/shared/ingest-protocol). */
export const INGEST_CHANNEL = 'replica:ingest';
