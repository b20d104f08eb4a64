import { beforeEach, expect, test } from 'vitest';
import type { OutboxRecord } from '#lib/shared/idb.ts';
import { applyBatch, applyPending } from './core';
import { change, entriesFrom, openMemoryDb } from './core/testing';
import type { Db } from './core/types';
import { outboxShown } from './pending-rows';

let db: Db;
beforeEach(async () => {
	db = await openMemoryDb();
	applyBatch(db, entriesFrom(0, [change('user', 'insert', 'u1', { id: 'u1', name: 'Ann' })]));
});

const sent = (messageId: string, state: OutboxRecord['state'] = 'queued', acceptedOffset?: string): OutboxRecord => ({
	id: `cmd-${messageId}`,
	command: { id: `cmd-${messageId}`, name: 'send_message', args: { messageId, channelId: 'c1', body: 'hi' } },
	authorId: 'u1',
	createdAt: '2026-01-01T00:00:00Z',
	state,
	attempts: 0,
	nextAttemptAt: 0,
	...(acceptedOffset && { acceptedOffset })
});
const show = (record: OutboxRecord) => applyPending(db, record.command, record);
const confirm = (messageId: string, after: number) =>
	applyBatch(
		db,
		entriesFrom(after, [
			change('message', 'insert', messageId, {
				id: messageId,
				channelId: 'c1',
				authorId: 'u1',
				body: 'hi',
				createdAt: 't'
			})
		])
	);
const offset = (count: number) => String(count).padStart(16, '0');

test('an outbox whose sends are all shown as pending rows needs no reconcile', () => {
	const records = [sent('m1'), sent('m2', 'accepted', offset(5))];
	records.forEach(show);
	expect(outboxShown(db, records, offset(1))).toBe(true);
});

test('a queued send without its row, or a pending row no send wants, needs one', () => {
	const [m1, m2] = [sent('m1'), sent('m2')];
	show(m1);
	expect(outboxShown(db, [m1, m2], offset(1))).toBe(false);
	show(m2);
	expect(outboxShown(db, [], offset(1))).toBe(false);
	expect(outboxShown(db, [m1], offset(1))).toBe(false);
	expect(outboxShown(db, [m1, { ...m2, state: 'rejected' }], offset(1))).toBe(false);
});

test('an accepted send whose events are applied needs one (to be forgotten), one not yet applied does not', () => {
	const m1 = sent('m1');
	show(m1);
	confirm('m1', 1);
	expect(outboxShown(db, [{ ...m1, state: 'accepted', acceptedOffset: offset(2) }], offset(2))).toBe(false);
	expect(outboxShown(db, [{ ...m1, state: 'accepted', acceptedOffset: offset(3) }], offset(2))).toBe(true);
	expect(outboxShown(db, [m1], offset(2))).toBe(true);
});
