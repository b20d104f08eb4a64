/**
 * Moves events from the IndexedDB inbox into SQLite. Each batch of whole inbox records is one SQLite transaction
 * (projections and the applied offset together); only after it commits are the records that end at or before the
 * applied offset deleted. A crash between the two leaves records that the next drain skips as duplicates, so nothing
 * is lost or applied twice. A catch-up is indexed for search after it is applied, in chunks (#indexSearchBacklog).
 */
import type { Database } from '@sqlite.org/sqlite-wasm';
import type { ReplicaIdb, StoredInboxRecord } from '#lib/shared/idb.ts';
import { formatOffset, parseOffset } from '#lib/shared/offsets.ts';
import {
	appliedOffset,
	applyBatch,
	hasSearchBacklog,
	indexSearchBacklog,
	type ApplyResult,
	type InboxEntry
} from './core';

/**
 * Events per transaction, about: a batch takes whole records until it reaches this many. Each batch costs more than
 * its rows (a commit, a live-query refresh, IndexedDB reads and deletes), so catch-up wants big batches; but a batch
 * holds the worker, and every tab's reads wait for it: 10,000 events take ~0.3–0.4 s. Measured in pairs on a 100k
 * catch-up (same profile, alternating rounds): 10,000 was done ~10% sooner than 5,000, in 7 of 9 pairs. A record
 * is one fetched page (at most the server's read limit), so a batch stays of that order.
 */
const BATCH_SIZE = 10_000;
/**
 * Bodies indexed per transaction once a catch-up is applied: ~40–60 ms of FTS5 work on OPFS, so reads (and news)
 * get their turn between chunks.
 */
const SEARCH_CHUNK = 10_000;
/** Ride-along records kept while waiting for their turn; they are small, and normally applied at once. */
const MAX_OFFERED = 100;

export interface InboxDrainOptions {
	idb: ReplicaIdb;
	db: Database;
	/** False once the database is being closed (fenced): no batch may start after that. */
	isOpen: () => boolean;
	onApplied: (result: ApplyResult) => Promise<void>;
	/** A chunk of deferred search indexing committed (message_search changed). */
	onIndexed: () => void;
	onGap: (appliedOffset: string) => Promise<void>;
	/** A batch failed (e.g. the disk is full): nothing of it was applied; the next drain tries again. */
	onError: (error: unknown) => void;
}

export class InboxDrain {
	#running = false;
	#requested = false;
	/** Records that rode along with the service worker's message, already durable in the inbox; by end offset. */
	readonly #offered = new Map<string, StoredInboxRecord>();
	readonly #options: InboxDrainOptions;
	/**
	 * Bodies wait in search_queue (a catch-up deferred them, or the previous leader had not finished): every batch
	 * defers its own too, since indexing in a batch's transaction would index the whole backlog there.
	 */
	#searchBacklog: boolean;

	constructor(options: InboxDrainOptions) {
		this.#options = options;
		this.#searchBacklog = hasSearchBacklog(options.db);
	}

	/**
	 * Drains until the inbox is empty; calls made while draining make it look once more at the end. A record that
	 * came with the news (already in IndexedDB) is applied from memory when it is next in line, which saves the
	 * read-back on the live tail's path; otherwise the inbox is read as usual.
	 */
	async drain(offered?: StoredInboxRecord): Promise<void> {
		// Bounded: records that never line up (a gap being re-read) are dropped, and read from the inbox later.
		if (this.#offered.size >= MAX_OFFERED) this.#offered.clear();
		if (offered) this.#offered.set(offered.offset, offered);
		this.#requested = true;
		if (this.#running) return;
		this.#running = true;
		try {
			while (this.#requested) {
				this.#requested = false;
				await this.#drainAll().catch((error) => console.error('[db-worker] draining the inbox failed', error));
				await this.#indexSearchBacklog().catch((error) => console.error('[db-worker] search indexing failed', error));
			}
		} finally {
			this.#running = false;
		}
	}

	/**
	 * Events received but not applied. Offsets are counts, so the last record's end minus the applied offset counts
	 * them without reading the records (an estimate only while a gap waits for its re-read).
	 */
	async pending(): Promise<number> {
		const { idb, db } = this.#options;
		const applied = appliedOffset(db);
		const cursor = await idb.transaction('inbox').store.openKeyCursor(null, 'prev');
		const last = cursor ? parseOffset(cursor.key) : undefined;
		return last === undefined ? 0 : Math.max(0, last - (parseOffset(applied) ?? 0));
	}

	async #drainAll() {
		const { idb, db, isOpen, onApplied, onGap } = this.#options;
		while (isOpen()) {
			const applied = appliedOffset(db);
			const records = takeOffered(this.#offered, applied) ?? (await nextBatch(idb, applied));
			if (records.length === 0 || !isOpen()) return;
			const entries = records.flatMap(entriesOf);
			// A catch-up (a full batch) shows its messages first and indexes them for search once it is through.
			this.#searchBacklog ||= entries.length >= BATCH_SIZE;
			let result;
			try {
				result = applyBatch(db, entries, { indexSearch: !this.#searchBacklog });
			} catch (error) {
				// Rolled back whole (e.g. the disk is full): reported, and tried again on the next news.
				this.#options.onError(error);
				return;
			}
			await onApplied(result);
			await idb.delete('inbox', IDBKeyRange.upperBound(result.appliedOffset));
			if (result.gap) {
				await onGap(result.appliedOffset);
				return;
			}
		}
	}

	/** Indexes the deferred bodies chunk by chunk; news that arrives meanwhile is applied first. */
	async #indexSearchBacklog() {
		const { db, isOpen, onIndexed } = this.#options;
		while (this.#searchBacklog && !this.#requested && isOpen()) {
			this.#searchBacklog = indexSearchBacklog(db, SEARCH_CHUNK);
			if (this.#searchBacklog) onIndexed();
			// A macrotask between chunks: queries and the service worker's news are handled in it.
			await new Promise((resolve) => setTimeout(resolve));
		}
	}
}

/**
 * The offered records that continue exactly from `applied`, in order; undefined when the next one is not among
 * them (then the inbox is the source). Offered records at or before `applied` are forgotten.
 */
export function takeOffered(offered: Map<string, StoredInboxRecord>, applied: string): StoredInboxRecord[] | undefined {
	const taken: StoredInboxRecord[] = [];
	let next = applied;
	// Offsets are zero-padded, so they sort as strings.
	for (const end of [...offered.keys()].sort()) {
		const record = offered.get(end)!;
		if (end > applied && record.start !== next) break;
		offered.delete(end);
		if (end <= applied) continue;
		taken.push(record);
		next = end;
	}
	return taken.length > 0 ? taken : undefined;
}

/**
 * The records after `applied`, whole and in stream order, up to the first one that brings the batch to BATCH_SIZE
 * events. Counted by keys (the events after `applied` up to a record's end), so only the batch's records are read.
 */
async function nextBatch(idb: ReplicaIdb, applied: string): Promise<StoredInboxRecord[]> {
	const tx = idb.transaction('inbox');
	const target = formatOffset((parseOffset(applied) ?? 0) + BATCH_SIZE);
	const last = await tx.store.getKey(IDBKeyRange.lowerBound(target));
	const range = last ? IDBKeyRange.bound(applied, last, true) : IDBKeyRange.lowerBound(applied, true);
	const records = await tx.store.getAll(range);
	// Committed before the batch is applied: applying holds this thread for a while, and an open read of the
	// inbox would hold back the service worker's next write (IndexedDB orders them) until it is done.
	await tx.done;
	return records;
}

/** Each event of a record with its own offset; those at or before the applied offset are left for the core to skip. */
export function entriesOf(record: StoredInboxRecord): InboxEntry[] {
	const start = parseOffset(record.start);
	if (start === undefined)
		throw new TypeError(`inbox record ${record.offset}: start "${record.start}" is not an offset`);
	const events: unknown = 'eventsJson' in record ? parseEvents(record.offset, record.eventsJson) : record.events;
	if (!Array.isArray(events)) throw new TypeError(`inbox record ${record.offset}: its events are not an array`);
	return events.map((event, i) => ({ offset: formatOffset(start + i + 1), event }));
}

function parseEvents(offset: string, eventsJson: string): unknown {
	try {
		return JSON.parse(eventsJson);
	} catch (error) {
		throw new TypeError(`inbox record ${offset}: eventsJson is not JSON (${(error as Error).message})`, {
			cause: error
		});
	}
}
