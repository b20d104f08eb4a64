import { beforeEach, describe, expect, test } from 'vitest';
import type { ChangeEvent } from '#lib/shared/events.ts';
import { applyBatch, appliedOffset, markRead } from './index';
import { change, entriesFrom, openMemoryDb } from './testing';
import { parseOffset } from '#lib/shared/offsets.ts';
import type { Db } from './types';

let db: Db;
beforeEach(async () => {
	db = await openMemoryDb();
});

/** Applies events after the current applied offset, each batch one call. */
function apply(...events: ChangeEvent[]) {
	const result = applyBatch(db, entriesFrom(parseOffset(appliedOffset(db)) as number, events));
	expect(result.quarantined).toBe(0);
	return result;
}
const rows = (sql: string) => db.selectObjects(sql);

const space = { id: 's1', name: 'Team', createdBy: 'u1', createdAt: '2026-01-01' };
const channel = { id: 'c1', spaceId: 's1', name: 'general', createdBy: 'u1', createdAt: '2026-01-01' };
const message = (id: string, body: string, authorId = 'u1', channelId = 'c1') => ({
	id,
	channelId,
	authorId,
	body,
	createdAt: '2026-01-02'
});

describe.each([
	['space', 'spaces', space, { ...space, name: 'Renamed' }],
	['channel', 'channels', channel, { ...channel, name: 'random' }],
	['user', 'users', { id: 'u1', name: 'Ann' }, { id: 'u1', name: 'Annie' }]
] as const)('%s', (type, table, value, updated) => {
	test('insert, update and delete change the canonical row', () => {
		apply(change(type, 'insert', value.id, value as never));
		expect(rows(`SELECT name FROM ${table}`)).toEqual([{ name: value.name }]);
		apply(change(type, 'update', value.id, updated as never));
		expect(rows(`SELECT name FROM ${table}`)).toEqual([{ name: updated.name }]);
		apply(change(type, 'delete', value.id));
		expect(rows(`SELECT * FROM ${table}`)).toEqual([]);
	});
});

test('membership: insert, update and delete by composite key', () => {
	const joined = { spaceId: 's1', userId: 'u1', joinedAt: 't1' };
	apply(change('membership', 'insert', 's1:u1', joined));
	apply(change('membership', 'update', 's1:u1', { ...joined, joinedAt: 't2' }));
	expect(rows('SELECT * FROM memberships')).toEqual([{ space_id: 's1', user_id: 'u1', joined_at: 't2' }]);
	apply(change('membership', 'delete', 's1:u1'));
	expect(rows('SELECT * FROM memberships')).toEqual([]);
});

describe('message', () => {
	test('insert projects a timeline row with the author name, a search entry and the unread count', () => {
		apply(change('user', 'insert', 'u1', { id: 'u1', name: 'Ann' }));
		apply(change('message', 'insert', 'm1', message('m1', 'hello brave world')));
		expect(rows('SELECT * FROM timeline_rows')).toEqual([
			{
				channel_id: 'c1',
				position: 2,
				message_id: 'm1',
				author_id: 'u1',
				author_name: 'Ann',
				body: 'hello brave world',
				created_at: '2026-01-02',
				edited: 0,
				reactions: '{}',
				pending: 0
			}
		]);
		expect(rows(`SELECT rowid FROM message_search WHERE message_search MATCH 'brave'`)).toEqual([{ rowid: 2 }]);
		expect(rows('SELECT * FROM channel_unread')).toEqual([{ channel_id: 'c1', message_count: 1, last_position: 2 }]);
	});

	test('an edit keeps the position and re-indexes the body', () => {
		apply(change('message', 'insert', 'm1', message('m1', 'old words')));
		apply(change('message', 'update', 'm1', { ...message('m1', 'new words'), editedAt: 't9' }));
		expect(rows('SELECT position, body, edited FROM timeline_items')).toEqual([
			{ position: 1, body: 'new words', edited: 1 }
		]);
		expect(rows(`SELECT rowid FROM message_search WHERE message_search MATCH 'old'`)).toEqual([]);
		expect(rows(`SELECT rowid FROM message_search WHERE message_search MATCH 'new'`)).toEqual([{ rowid: 1 }]);
		expect(rows('SELECT message_count FROM channel_unread')).toEqual([{ message_count: 1 }]);
	});

	test('delete tombstones the message and removes its timeline row, search entry and count', () => {
		apply(change('message', 'insert', 'm1', message('m1', 'first')));
		apply(change('message', 'insert', 'm2', message('m2', 'second')));
		apply(change('message', 'delete', 'm2'));
		expect(rows('SELECT id, deleted FROM messages ORDER BY id')).toEqual([
			{ id: 'm1', deleted: 0 },
			{ id: 'm2', deleted: 1 }
		]);
		expect(rows('SELECT message_id FROM timeline_items')).toEqual([{ message_id: 'm1' }]);
		expect(rows(`SELECT rowid FROM message_search WHERE message_search MATCH 'second'`)).toEqual([]);
		expect(rows('SELECT message_count, last_position FROM channel_unread')).toEqual([
			{ message_count: 1, last_position: 1 }
		]);
		db.exec(`INSERT INTO message_search(message_search, rank) VALUES ('integrity-check', 1)`);
	});
});

test("the timeline shows its author's current name: none before the user is known, the new one after a rename", () => {
	apply(change('message', 'insert', 'm1', message('m1', 'hi')));
	expect(rows('SELECT author_name FROM timeline_rows')).toEqual([{ author_name: null }]);
	apply(change('user', 'insert', 'u1', { id: 'u1', name: 'Ann' }));
	apply(change('user', 'update', 'u1', { id: 'u1', name: 'Annie' }));
	expect(rows('SELECT author_name FROM timeline_rows')).toEqual([{ author_name: 'Annie' }]);
	apply(change('user', 'delete', 'u1'));
	expect(rows('SELECT author_name FROM timeline_rows')).toEqual([{ author_name: null }]);
});

test('reactions: insert, update (idempotent) and delete keep the counts JSON right', () => {
	apply(change('message', 'insert', 'm1', message('m1', 'hi')));
	const react = (userId: string, emoji: string) => ({ messageId: 'm1', userId, emoji });
	apply(
		change('reaction', 'insert', 'm1:u1:👍', react('u1', '👍')),
		change('reaction', 'insert', 'm1:u2:👍', react('u2', '👍')),
		change('reaction', 'insert', 'm1:u2:🎉', react('u2', '🎉')),
		change('reaction', 'update', 'm1:u2:🎉', react('u2', '🎉'))
	);
	expect(JSON.parse(db.selectValue('SELECT reactions FROM timeline_items') as string)).toEqual({ '👍': 2, '🎉': 1 });
	apply(change('reaction', 'delete', 'm1:u1:👍'), change('reaction', 'delete', 'm1:u2:🎉'));
	expect(rows('SELECT reactions FROM timeline_items')).toEqual([{ reactions: '{"👍":1}' }]);
	expect(rows('SELECT count(*) AS n FROM reactions')).toEqual([{ n: 1 }]);
});

test('reactions that arrive before their message are counted when it arrives', () => {
	apply(change('reaction', 'insert', 'm1:u1:👍', { messageId: 'm1', userId: 'u1', emoji: '👍' }));
	apply(change('message', 'insert', 'm1', message('m1', 'late')));
	expect(rows('SELECT reactions FROM timeline_items')).toEqual([{ reactions: '{"👍":1}' }]);
});

test('unread counts follow read marks, which never move back', () => {
	apply(...['a', 'b', 'c'].map((id) => change('message', 'insert', id, message(id, id))));
	const unread = () => db.selectValue(`SELECT unread FROM channel_unread_counts WHERE channel_id = 'c1'`);
	expect(unread()).toBe(3);
	markRead(db, 'c1', 2);
	expect(unread()).toBe(1);
	markRead(db, 'c1', 1);
	expect(unread()).toBe(1);
});

test("a channel page is one range scan of the channel index, with a primary-key lookup of each row's author", () => {
	const details = db
		.selectArrays(
			`EXPLAIN QUERY PLAN SELECT * FROM timeline_rows WHERE channel_id = 'c1' AND position < 100 ORDER BY position DESC LIMIT 50`
		)
		.map((row) => row[3]);
	expect(details).toEqual([
		'SEARCH t USING INDEX timeline_by_channel (channel_id=? AND position<?)',
		'SEARCH u USING INDEX sqlite_autoindex_users_1 (id=?) LEFT-JOIN'
	]);
});
