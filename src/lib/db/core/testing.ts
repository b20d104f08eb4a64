/**
 * Test support shared by the core's unit tests (and the bench): in-memory databases, event builders, and a dump
 * of every projection table for byte-for-byte comparisons.
 */
import sqlite3InitModule from '@sqlite.org/sqlite-wasm';
import { formatOffset } from '#lib/shared/offsets.ts';
import type { ChangeEvent, EntityType, EntityValues, Operation } from '#lib/shared/events.ts';
import { ENTITY_TABLE_LIST } from './entity-tables';
import { migrate } from './migrate';
import type { Db, InboxEntry } from './types';

let sqlite3: Promise<Awaited<ReturnType<typeof sqlite3InitModule>>> | undefined;
export const loadSqlite = () => (sqlite3 ??= sqlite3InitModule());

export async function openMemoryDb(options: { migrated?: boolean } = {}): Promise<Db> {
	const db = new (await loadSqlite()).oo1.DB(':memory:');
	if (options.migrated !== false) migrate(db);
	return db;
}

export function change<T extends EntityType>(
	type: T,
	operation: Operation,
	key: string,
	value?: EntityValues[T],
	txid?: string
): ChangeEvent {
	return { type, key, ...(value && { value }), headers: { operation, ...(txid && { txid }) } } as ChangeEvent;
}

/** Inbox entries at consecutive offsets, the first one after `after` (an offset count). */
export function entriesFrom(after: number, events: unknown[]): InboxEntry[] {
	return events.map((event, i) => ({ offset: formatOffset(after + i + 1), event }));
}

/** Tables compared by replay tests: projections, read models and the exactly-once bookkeeping. */
const DUMPED = [
	...ENTITY_TABLE_LIST.map((t) => t.table),
	'timeline_items',
	'channel_unread',
	'search_queue',
	'applied_txids',
	'replica_meta',
	'raw_events'
];

/**
 * SELECT * ORDER BY every column, as JSON. The search index is dumped term by term (fts5vocab: every indexed token
 * with its row and place; `SELECT FROM message_search` alone would read the content table), and must pass its own
 * integrity check against its content when nothing is queued.
 */
export function dumpProjections(db: Db): string {
	const dump: Record<string, unknown> = {};
	for (const table of DUMPED) {
		const columns = db.selectValues(`SELECT name FROM pragma_table_info('${table}') ORDER BY cid`) as string[];
		dump[table] = db.selectArrays(`SELECT * FROM ${table} ORDER BY ${columns.join(', ')}`);
	}
	db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_terms USING fts5vocab(main, message_search, 'instance')`);
	dump.search_terms = db.selectArrays('SELECT term, doc, "offset" FROM temp.search_terms ORDER BY 1, 2, 3');
	dump.quarantine = db.selectArrays('SELECT "offset", reason, event_json FROM quarantine ORDER BY "offset"');
	if (db.selectValue('SELECT count(*) FROM search_queue') === 0) {
		db.exec(`INSERT INTO message_search(message_search, rank) VALUES ('integrity-check', 1)`);
	}
	return JSON.stringify(dump);
}
