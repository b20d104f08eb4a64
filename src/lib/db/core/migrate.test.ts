import { expect, test } from 'vitest';
import { formatOffset } from '#lib/shared/offsets.ts';
import { applyBatch, migrate, PROJECTION_VERSION, SCHEMA_VERSION, schemaVersion } from './index';
import { change, dumpProjections, entriesFrom, openMemoryDb } from './testing';

const events = [
	change('user', 'insert', 'u1', { id: 'u1', name: 'Ann' }, 'c1'),
	change('message', 'insert', 'm1', { id: 'm1', channelId: 'ch', authorId: 'u1', body: 'hello', createdAt: 't' }, 'c2'),
	change('reaction', 'insert', 'm1:u1:👍', { messageId: 'm1', userId: 'u1', emoji: '👍' }, 'c3')
];

test('a version-1 database (raw events, no read models) migrates to the latest and gets its read models', async () => {
	const v1 = await openMemoryDb({ migrated: false });
	migrate(v1, 1);
	expect(schemaVersion(v1)).toBe(1);
	// What a version-1 replica had written: the raw log and its applied offset.
	entriesFrom(0, events).forEach(({ offset, event }) =>
		v1.exec('INSERT INTO raw_events VALUES (?, ?)', { bind: [offset, JSON.stringify(event)] })
	);
	v1.exec(`INSERT INTO replica_meta VALUES ('applied_offset', '${formatOffset(3)}')`);

	migrate(v1);
	expect(schemaVersion(v1)).toBe(SCHEMA_VERSION);
	expect(v1.selectValue(`SELECT value FROM replica_meta WHERE key = 'projection_version'`)).toBe(
		String(PROJECTION_VERSION)
	);
	expect(v1.selectArrays('SELECT message_id, author_name, reactions FROM timeline_rows')).toEqual([
		['m1', 'Ann', '{"👍":1}']
	]);

	const fresh = await openMemoryDb();
	applyBatch(fresh, entriesFrom(0, events));
	expect(dumpProjections(v1)).toBe(dumpProjections(fresh));
});

test('a version-3 database with a timeline keeps it through schema 4, author names read through the view', async () => {
	const v3 = await openMemoryDb({ migrated: false });
	migrate(v3, 3);
	applyBatch(v3, entriesFrom(0, events));
	expect(v3.selectValue('SELECT author_name FROM timeline_items')).toBe('Ann');

	migrate(v3);
	expect(v3.selectArrays('SELECT message_id, author_name, reactions FROM timeline_rows')).toEqual([
		['m1', 'Ann', '{"👍":1}']
	]);
	const fresh = await openMemoryDb();
	applyBatch(fresh, entriesFrom(0, events));
	expect(dumpProjections(v3)).toBe(dumpProjections(fresh));
});

test('migrate is idempotent, and a stale projection version triggers a rebuild', async () => {
	const db = await openMemoryDb();
	applyBatch(db, entriesFrom(0, events));
	const before = dumpProjections(db);
	migrate(db);
	db.exec(`UPDATE replica_meta SET value = '0' WHERE key = 'projection_version'`);
	db.exec(`DELETE FROM timeline_items`);
	const progress: [number, number][] = [];
	migrate(db, SCHEMA_VERSION, (done, total) => progress.push([done, total]));
	expect(dumpProjections(db)).toBe(before);
	expect(progress.at(0)).toEqual([0, events.length]);
	expect(progress.at(-1)).toEqual([events.length, events.length]);
});

test('a database from a newer build is refused with the versions named', async () => {
	const db = await openMemoryDb();
	db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
	expect(() => migrate(db)).toThrow(`user_version: database is at schema ${SCHEMA_VERSION + 1}`);
});
