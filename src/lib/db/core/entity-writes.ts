/**
 * Writes one validated change event into the canonical tables (live, where triggers derive the read models) or into
 * the snapshot staging tables. State Protocol semantics: insert and update both carry the full value and upsert it;
 * delete removes by key. Messages are soft-deleted (deleted = 1) so that their tombstone keeps its position.
 *
 * Upserts read the value from the event's raw_events row (always written before the event is applied, and kept
 * while a rebuild replays it), so the only values crossing from JS are offset counts: one event's, or the first
 * and last of a run of events of one type (bulk-run.ts), upserted in stream order.
 */
import type { SqlValue } from '@sqlite.org/sqlite-wasm';
import type { ChangeEvent, EntityType } from '#lib/shared/events.ts';
import { ENTITY_TABLES, STAGING_PREFIX, type EntityTable } from './entity-tables';
import { run } from './statements';
import { splitKey } from './validate-event';
import type { Db } from './types';

export type Target = 'live' | 'staged';

const tableName = (table: string, target: Target) => (target === 'staged' ? STAGING_PREFIX + table : table);

function upsertSql({ table, columns, sources, keyColumns, keptOnConflict }: EntityTable, target: Target) {
	const updated = columns.filter((c) => !keyColumns.includes(c) && !keptOnConflict.includes(c));
	const onConflict = updated.length
		? `DO UPDATE SET ${updated.map((c) => `${c} = excluded.${c}`).join(', ')}`
		: 'DO NOTHING';
	// A WHERE clause is required before ON CONFLICT, or the parser reads it as a join constraint.
	return `INSERT INTO ${tableName(table, target)}(${columns.join(', ')})
		SELECT ${sources.join(', ')} FROM raw_events WHERE position BETWEEN ?1 AND ?2 ORDER BY position
		ON CONFLICT(${keyColumns.join(', ')}) ${onConflict}`;
}

function removeSql({ table, keyColumns }: EntityTable, target: Target) {
	const where = keyColumns.map((c) => `${c} = ?`).join(' AND ');
	return table === 'messages'
		? `UPDATE ${tableName(table, target)} SET deleted = 1 WHERE ${where} AND deleted = 0`
		: `DELETE FROM ${tableName(table, target)} WHERE ${where}`;
}

/** SQL text per (type, target), built once: the statement cache is keyed by it. */
const SQL = new Map<string, { upsert: string; remove: string }>();
function sqlFor(type: EntityType, target: Target) {
	const id = `${type}/${target}`;
	let sql = SQL.get(id);
	if (!sql) {
		const table = ENTITY_TABLES[type];
		SQL.set(id, (sql = { upsert: upsertSql(table, target), remove: removeSql(table, target) }));
	}
	return sql;
}

/** Applies a validated change; `position` is the event's offset count (its raw_events key). Returns the tables written. */
export function writeChange(db: Db, event: ChangeEvent, position: number, target: Target): readonly string[] {
	const table = ENTITY_TABLES[event.type];
	const sql = sqlFor(event.type, target);
	if (event.headers.operation === 'delete') {
		// validateEvent guarantees the key splits into the key columns.
		run(db, sql.remove, splitKey(event.type, event.key) as SqlValue[]);
	} else {
		writeUpserts(db, event.type, position, position, target);
	}
	return target === 'live' ? table.touches : [tableName(table.table, target)];
}

/** Upserts the events of one type at offset counts `first` to `last` (all of them of that type, none a delete). */
export function writeUpserts(db: Db, type: EntityType, first: number, last: number, target: Target): void {
	run(db, sqlFor(type, target).upsert, [first, last]);
}
