/**
 * Indexes the bodies queued by the message triggers in one statement (see schema-v3.ts for why indexing is
 * deferred). Every writer of the projections calls it before its transaction commits.
 */
import { run } from './statements';
import type { Db } from './types';

export function flushSearchQueue(db: Db): void {
	run(
		db,
		`INSERT INTO message_search(rowid, body)
		 SELECT q.position, t.body FROM search_queue q JOIN timeline_items t ON t.position = q.position ORDER BY q.position`
	);
	run(db, 'DELETE FROM search_queue');
}
