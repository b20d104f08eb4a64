import { expect, test } from 'vitest';
import { benchApply, benchRawInsert, chatWorkload } from './bench';
import { loadSqlite, openMemoryDb } from './testing';

test('the bench workload is valid: every event applies, none is quarantined', async () => {
	const db = await openMemoryDb();
	const sqlite3 = await loadSqlite();
	expect(chatWorkload(50)).toHaveLength(50);
	expect(benchApply(sqlite3, db, 500)).toBeGreaterThan(0);
	expect(db.selectValues('SELECT count(*) FROM quarantine')).toEqual([0]);
	expect(db.selectValues('SELECT count(*) FROM timeline_items')).toEqual([437]);
	expect(benchRawInsert(sqlite3, await openMemoryDb({ migrated: false }), 500)).toBeGreaterThan(0);
});
