/**
 * Clearing projection state, for reset, snapshot swap and rebuild. Local-only state survives: read_marks, pending
 * timeline rows (their commands are still in the outbox) and the quarantine (a report, not state).
 */
import { ENTITY_TABLE_LIST, STAGING_PREFIX } from './entity-tables';
import type { Db } from './types';

/** Every table a wipe writes, for ApplyResult.changedTables. */
export const WIPED_TABLES = [
	'timeline_items',
	'message_search',
	'channel_unread',
	...ENTITY_TABLE_LIST.map((t) => t.table)
];

export function clearStaging(db: Db): void {
	for (const { table } of ENTITY_TABLE_LIST) db.exec(`DELETE FROM ${STAGING_PREFIX}${table}`);
}

/**
 * Read models go first and directly, so that the canonical tables' delete triggers find (almost) nothing left to
 * update; 'delete-all' empties the external-content search index without needing the old bodies.
 */
export function wipeProjections(db: Db): void {
	db.exec(`
		DELETE FROM timeline_items WHERE pending = 0;
		INSERT INTO message_search(message_search) VALUES ('delete-all');
		DELETE FROM channel_unread;
		DELETE FROM search_queue;
		DELETE FROM reactions; DELETE FROM messages; DELETE FROM users;
		DELETE FROM memberships; DELETE FROM channels; DELETE FROM spaces;
	`);
}
