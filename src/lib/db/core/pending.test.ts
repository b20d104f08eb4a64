import { beforeEach, expect, test } from 'vitest';
import type { Command } from '#lib/shared/commands.ts';
import { applyBatch, applyPending, dropPending, PENDING_POSITION_BASE } from './index';
import { change, entriesFrom, openMemoryDb } from './testing';
import type { Db } from './types';

let db: Db;
beforeEach(async () => {
	db = await openMemoryDb();
	applyBatch(db, entriesFrom(0, [change('user', 'insert', 'u1', { id: 'u1', name: 'Ann' })]));
});

const send = (messageId: string, body = 'hi'): Command => ({
	id: `cmd-${messageId}`,
	name: 'send_message',
	args: { messageId, channelId: 'c1', body }
});
const author = { authorId: 'u1', createdAt: '2026-01-01T00:00:00Z' };
const timeline = () =>
	db.selectArrays('SELECT message_id, position, pending, author_name FROM timeline_rows ORDER BY position');

test('a sent message shows at once as a pending row after every confirmed one', () => {
	expect(applyPending(db, send('p1'), author)).toEqual(new Set(['timeline_items']));
	applyPending(db, send('p2'), author);
	expect(timeline()).toEqual([
		['p1', PENDING_POSITION_BASE, 1, 'Ann'],
		['p2', PENDING_POSITION_BASE + 1, 1, 'Ann']
	]);
	expect(db.selectValue(`SELECT unread FROM channel_unread_counts`)).toBeUndefined();
});

test('the real insert event with the same message id replaces the pending row', () => {
	applyPending(db, send('p1'), author);
	const real = { id: 'p1', channelId: 'c1', authorId: 'u1', body: 'hi', createdAt: 't' };
	applyBatch(db, entriesFrom(1, [change('message', 'insert', 'p1', real, 'cmd-p1')]));
	expect(timeline()).toEqual([['p1', 2, 0, 'Ann']]);
	expect(applyPending(db, send('p1'), author)).toEqual(new Set());
	expect(timeline()).toEqual([['p1', 2, 0, 'Ann']]);
});

test('a rejected command’s pending row is dropped; other commands have no optimistic row yet', () => {
	applyPending(db, send('p1'), author);
	dropPending(db, 'p1');
	expect(timeline()).toEqual([]);
	const edit: Command = { id: 'e1', name: 'edit_message', args: { messageId: 'p1', body: 'x' } };
	expect(applyPending(db, edit, author)).toEqual(new Set());
});
