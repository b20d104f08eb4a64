import { beforeEach, describe, expect, test } from 'vitest';
import { formatOffset } from '#lib/shared/offsets.ts';
import { applyBatch, appliedOffset } from './index';
import { change, dumpProjections, entriesFrom, openMemoryDb } from './testing';
import type { Db } from './types';

let db: Db;
beforeEach(async () => {
	db = await openMemoryDb();
});

const user = (id: string, name: string, txid?: string) => change('user', 'insert', id, { id, name }, txid);
const users = () => db.selectArrays('SELECT id, name FROM users ORDER BY id');

test('an empty replica reports -1 and an empty batch changes nothing', () => {
	expect(appliedOffset(db)).toBe('-1');
	expect(applyBatch(db, [])).toEqual({
		appliedOffset: '-1',
		applied: 0,
		skipped: 0,
		quarantined: 0,
		changedTables: new Set()
	});
});

describe('idempotency by offset', () => {
	test('a replayed range is skipped, and entries arrive in any order', () => {
		const entries = entriesFrom(0, [user('a', 'A'), user('b', 'B'), user('c', 'C')]);
		expect(applyBatch(db, [entries[1], entries[0]])).toMatchObject({ applied: 2, appliedOffset: formatOffset(2) });
		const before = dumpProjections(db);
		const again = applyBatch(db, [entries[0], entries[1], entries[0], entries[2]]);
		expect(again).toMatchObject({ applied: 1, skipped: 3, appliedOffset: formatOffset(3) });
		expect(applyBatch(db, entries)).toMatchObject({ applied: 0, skipped: 3, changedTables: new Set() });
		expect(users()).toEqual([
			['a', 'A'],
			['b', 'B'],
			['c', 'C']
		]);
		expect(before).not.toBe(dumpProjections(db));
	});
});

describe('idempotency by txid', () => {
	test('all events of one command (consecutive offsets, one txid) are applied', () => {
		const result = applyBatch(db, entriesFrom(0, [user('a', 'A', 'cmd1'), user('b', 'B', 'cmd1')]));
		expect(result).toMatchObject({ applied: 2, skipped: 0 });
		expect(db.selectArrays('SELECT * FROM applied_txids')).toEqual([['cmd1', formatOffset(2)]]);
	});

	test('a command re-delivered under new offsets is skipped whole, yet the offset advances', () => {
		applyBatch(db, entriesFrom(0, [user('a', 'A', 'cmd1'), user('b', 'B', 'cmd1'), user('c', 'C', 'cmd2')]));
		const redelivered = [user('a', 'changed', 'cmd1'), user('b', 'changed', 'cmd1'), user('d', 'D', 'cmd3')];
		expect(applyBatch(db, entriesFrom(3, redelivered))).toMatchObject({
			applied: 1,
			skipped: 2,
			appliedOffset: formatOffset(6)
		});
		expect(users()).toEqual([
			['a', 'A'],
			['b', 'B'],
			['c', 'C'],
			['d', 'D']
		]);
	});

	test('a run of one txid continues across batches', () => {
		applyBatch(db, entriesFrom(0, [user('a', 'A', 'cmd1')]));
		expect(applyBatch(db, entriesFrom(1, [user('b', 'B', 'cmd1')]))).toMatchObject({ applied: 1, skipped: 0 });
	});
});

describe('gaps', () => {
	test('a first entry past the successor applies nothing and names the expected offset', () => {
		applyBatch(db, entriesFrom(0, [user('a', 'A')]));
		const result = applyBatch(db, entriesFrom(2, [user('c', 'C'), user('d', 'D')]));
		expect(result).toMatchObject({
			applied: 0,
			appliedOffset: formatOffset(1),
			gap: { expected: formatOffset(2), got: formatOffset(3) }
		});
		expect(users()).toEqual([['a', 'A']]);
	});

	test('a hole inside a batch keeps what came before it and stops there', () => {
		const [first, , third] = entriesFrom(0, [user('a', 'A'), user('b', 'B'), user('c', 'C')]);
		const result = applyBatch(db, [first, third]);
		expect(result).toMatchObject({ applied: 1, appliedOffset: formatOffset(1), gap: { got: formatOffset(3) } });
	});

	test('a malformed entry offset is the ingest’s bug: it throws and writes nothing', () => {
		expect(() => applyBatch(db, [{ offset: 'abc', event: user('a', 'A') }])).toThrow(/entries\[0\]\.offset/);
		expect(() => applyBatch(db, [{ offset: '-1', event: user('a', 'A') }])).toThrow(/not an event's offset/);
		expect(appliedOffset(db)).toBe('-1');
	});
});

describe('quarantine', () => {
	const message = { id: 'm1', channelId: 'c1', authorId: 'u1', body: 'hi', createdAt: 't' };
	test.each([
		['not an object', 42, 'event: expected an object, got number'],
		['no headers', { type: 'user', key: 'u' }, 'headers: expected an object, got undefined'],
		[
			'unknown type',
			{ type: 'emoji', key: 'x', headers: { operation: 'insert' } },
			'type: unknown entity type "emoji"'
		],
		[
			'missing key',
			{ type: 'user', value: { id: 'u', name: 'U' }, headers: { operation: 'insert' } },
			'key: expected a non-empty string'
		],
		[
			'bad operation',
			{ type: 'user', key: 'u', headers: { operation: 'upsert' } },
			'headers.operation: expected insert, update or delete, got "upsert"'
		],
		[
			'missing value',
			{ type: 'user', key: 'u', headers: { operation: 'insert' } },
			'value: expected an object for insert, got undefined'
		],
		[
			'wrong field type',
			change('message', 'insert', 'm1', { ...message, body: 7 } as never),
			'value.body: expected a string, got number'
		],
		[
			'key mismatch',
			change('user', 'update', 'u2', { id: 'u1', name: 'U' }),
			'key: "u2" does not match the value\'s key "u1"'
		],
		['bad composite key', change('reaction', 'delete', 'm1'), 'key: "m1" is not a reaction key'],
		[
			'bad txid',
			{ ...user('a', 'A'), headers: { operation: 'insert', txid: 5 } },
			'headers.txid: expected a non-empty string when present'
		],
		[
			'bad control',
			{ headers: { control: 'pause' } },
			'headers.control: expected one of snapshot-start, snapshot-end, reset, got "pause"'
		],
		[
			'bad control offset',
			{ headers: { control: 'reset', offset: 'x' } },
			'headers.offset: "x" is not an offset of this server'
		]
	])('%s: recorded with its offset and a reason naming the field; the batch goes on', (_, bad, reason) => {
		const result = applyBatch(db, entriesFrom(0, [user('a', 'A'), bad, user('b', 'B')]));
		expect(result).toMatchObject({ applied: 2, quarantined: 1, appliedOffset: formatOffset(3) });
		expect(db.selectObjects('SELECT "offset", reason, event_json FROM quarantine')).toEqual([
			{ offset: formatOffset(2), reason, event_json: JSON.stringify(bad) }
		]);
		expect(users()).toEqual([
			['a', 'A'],
			['b', 'B']
		]);
	});

	test('an event that cannot be serialised is quarantined, not thrown', () => {
		const result = applyBatch(db, entriesFrom(0, [{ headers: { operation: 'insert' }, big: 1n }]));
		expect(result).toMatchObject({ quarantined: 1, appliedOffset: formatOffset(1) });
	});
});

test('a batch that cannot be written (the disk is full: SQLITE_FULL) changes nothing, and applies once there is room', () => {
	const message = (n: number) =>
		change('message', 'insert', `m${n}`, {
			id: `m${n}`,
			channelId: 'general',
			authorId: 'a',
			body: `${'a long enough body to fill pages '.repeat(20)}${n}`,
			createdAt: 't'
		});
	const entries = entriesFrom(
		0,
		Array.from({ length: 200 }, (_, n) => message(n))
	);
	const before = dumpProjections(db);
	// The file may not grow past its current size: what a full disk or an exhausted quota does to SQLite.
	db.exec(`PRAGMA max_page_count = ${db.selectValue('PRAGMA page_count')}`);
	expect(() => applyBatch(db, entries)).toThrow(/SQLITE_FULL/);
	expect(dumpProjections(db)).toBe(before);
	expect(appliedOffset(db)).toBe('-1');

	db.exec('PRAGMA max_page_count = 1073741823');
	expect(applyBatch(db, entries)).toMatchObject({ applied: 200, appliedOffset: formatOffset(200) });
});
