import { beforeEach, describe, expect, test } from 'vitest';
import { formatOffset } from '#lib/shared/offsets.ts';
import { applyBatch, applyPending, markRead, rebuildProjections } from './index';
import { change, dumpProjections, entriesFrom, openMemoryDb } from './testing';
import type { Db } from './types';

let db: Db;
beforeEach(async () => {
	db = await openMemoryDb();
});

const user = (id: string, name: string, txid?: string) => change('user', 'insert', id, { id, name }, txid);
const message = (id: string) =>
	change('message', 'insert', id, { id, channelId: 'c1', authorId: 'u1', body: `body of ${id}`, createdAt: 't' });
const control = (kind: 'reset' | 'snapshot-start' | 'snapshot-end', offset?: string) => ({
	headers: { control: kind, ...(offset && { offset }) }
});
const users = () => db.selectArrays('SELECT id, name FROM users ORDER BY id');
const rawOffsets = () => db.selectValues('SELECT "offset" FROM raw_events ORDER BY "offset"');

describe('reset', () => {
	test('wipes projections and txids, keeps local state and quarantine, and compacts the raw log', () => {
		applyBatch(db, entriesFrom(0, [user('u1', 'Ann', 'cmd1'), message('m1'), 'garbage']));
		markRead(db, 'c1', 2);
		applyPending(
			db,
			{ id: 'cmd9', name: 'send_message', args: { messageId: 'p1', channelId: 'c1', body: 'hi' } },
			{
				authorId: 'u1',
				createdAt: 't'
			}
		);
		const result = applyBatch(db, entriesFrom(3, [control('reset'), user('u1', 'Ann again', 'cmd1')]));
		expect(result).toMatchObject({ applied: 2, appliedOffset: formatOffset(5) });
		expect(users()).toEqual([['u1', 'Ann again']]);
		expect(db.selectValues('SELECT message_id FROM timeline_items')).toEqual(['p1']);
		expect(db.selectValues('SELECT count(*) FROM quarantine')).toEqual([1]);
		expect(db.selectValues('SELECT position FROM read_marks')).toEqual([2]);
		expect(rawOffsets()).toEqual([formatOffset(4), formatOffset(5)]);
	});

	test('headers.offset moves the applied offset forward; a rewinding reset is quarantined', () => {
		const forward = applyBatch(db, entriesFrom(0, [control('reset', formatOffset(10)), user('x', 'X')]));
		expect(forward).toMatchObject({ applied: 1, skipped: 1, appliedOffset: formatOffset(10) });
		const rewind = applyBatch(db, entriesFrom(10, [user('a', 'A'), control('reset', formatOffset(3))]));
		expect(rewind).toMatchObject({ applied: 1, quarantined: 1, appliedOffset: formatOffset(12) });
		expect(users()).toEqual([['a', 'A']]);
	});
});

describe('snapshot', () => {
	test('is staged across batches and swapped in whole at snapshot-end', () => {
		applyBatch(db, entriesFrom(0, [user('old', 'Old'), message('m0')]));
		applyBatch(db, entriesFrom(2, [control('snapshot-start'), user('u1', 'Ann'), message('m1')]));
		// Readers still see the state from before the snapshot, untouched.
		expect(users()).toEqual([['old', 'Old']]);
		expect(db.selectValues('SELECT message_id FROM timeline_items')).toEqual(['m0']);
		const end = applyBatch(db, entriesFrom(5, [message('m2'), control('snapshot-end'), user('u2', 'Bob')]));
		expect(end).toMatchObject({ applied: 3, appliedOffset: formatOffset(8) });
		expect(users()).toEqual([
			['u1', 'Ann'],
			['u2', 'Bob']
		]);
		expect(db.selectArrays('SELECT message_id, position, author_name FROM timeline_rows ORDER BY position')).toEqual([
			['m1', 5, 'Ann'],
			['m2', 6, 'Ann']
		]);
		expect(db.selectValues(`SELECT rowid FROM message_search WHERE message_search MATCH 'm2'`)).toEqual([6]);
		expect(db.selectValues('SELECT count(*) FROM snapshot_messages')).toEqual([0]);
		expect(rawOffsets()[0]).toBe(formatOffset(3));
	});

	test('a second snapshot-start abandons the unfinished one', () => {
		applyBatch(db, entriesFrom(0, [control('snapshot-start'), user('a', 'A'), control('snapshot-start')]));
		applyBatch(db, entriesFrom(3, [user('b', 'B'), control('snapshot-end')]));
		expect(users()).toEqual([['b', 'B']]);
	});

	test('snapshot-end without snapshot-start is quarantined', () => {
		expect(applyBatch(db, entriesFrom(0, [control('snapshot-end')]))).toMatchObject({ quarantined: 1 });
		expect(db.selectValue('SELECT reason FROM quarantine')).toMatch(/^headers.control: snapshot-end without/);
	});

	test('rebuild after snapshot and reset reproduces the same projections', () => {
		applyBatch(db, entriesFrom(0, [user('a', 'A', 't1'), control('reset'), user('b', 'B', 't1'), message('m1')]));
		applyBatch(db, entriesFrom(4, [control('snapshot-start'), user('c', 'C'), message('m2'), control('snapshot-end')]));
		applyBatch(db, entriesFrom(8, [message('m3'), change('message', 'delete', 'm2')]));
		const live = dumpProjections(db);
		rebuildProjections(db);
		expect(dumpProjections(db)).toBe(live);
	});
});
