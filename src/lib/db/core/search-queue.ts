/**
 * Search indexing runs after the message triggers, from search_queue (see schema-v3.ts for why it is deferred to
 * the end of a batch). Invariant at every commit: message_search indexes exactly the bodies of the pending = 0
 * timeline rows whose position is not in search_queue. The queue is empty after a batch that indexes its own rows;
 * a catch-up defers indexing (applyBatch's `indexSearch: false`) so that its messages show sooner, and then the
 * queue holds the backlog until indexSearchBacklog has worked through it.
 */
import { firstValue, run } from './statements';
import type { Db } from './types';

const INDEX_QUEUED = `INSERT INTO message_search(rowid, body)
	SELECT q.position, t.body FROM search_queue q JOIN timeline_items t ON t.position = q.position
	WHERE q.position <= ? ORDER BY q.position`;

/** Indexes every queued body; runs inside the caller's transaction. */
export function flushSearchQueue(db: Db): void {
	indexUpTo(db, Number.MAX_SAFE_INTEGER);
}

function indexUpTo(db: Db, position: number): void {
	run(db, INDEX_QUEUED, [position]);
	run(db, 'DELETE FROM search_queue WHERE position <= ?', [position]);
}

/**
 * Indexes up to `maxRows` of the oldest queued bodies in a transaction of their own, so that reads get their turn
 * between chunks. Returns whether any rows were indexed (the caller refreshes live queries, and asks again).
 */
export function indexSearchBacklog(db: Db, maxRows: number): boolean {
	return db.transaction('IMMEDIATE', () => {
		const upTo = firstValue(
			db,
			'SELECT max(position) FROM (SELECT position FROM search_queue ORDER BY position LIMIT ?)',
			[maxRows]
		);
		if (upTo === null || upTo === undefined) return false;
		indexUpTo(db, Number(upTo));
		return true;
	});
}

/** Whether bodies are waiting to be indexed (a deferred catch-up, or one its leader did not finish). */
export function hasSearchBacklog(db: Db): boolean {
	return firstValue(db, 'SELECT EXISTS (SELECT 1 FROM search_queue)') === 1;
}
