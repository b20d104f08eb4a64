import { beforeEach, expect, test } from 'vitest';
import type { ChangeEvent } from '#lib/shared/events.ts';
import { parseOffset } from '#lib/shared/offsets.ts';
import { applyBatch, appliedOffset, hasSearchBacklog, indexSearchBacklog } from './index';
import { change, entriesFrom, openMemoryDb } from './testing';
import type { Db } from './types';

let db: Db;
beforeEach(async () => {
	db = await openMemoryDb();
});

const message = (id: string, body: string) => ({ id, channelId: 'c1', authorId: 'u1', body, createdAt: '2026-01-02' });
const send = (id: string, body: string) => change('message', 'insert', id, message(id, body), `t-${id}-${body}`);

function applyDeferred(...events: ChangeEvent[]) {
	const after = parseOffset(appliedOffset(db)) as number;
	return applyBatch(db, entriesFrom(after, events), { indexSearch: false });
}
const found = (term: string) =>
	db.selectValues(
		`SELECT t.message_id FROM message_search s JOIN timeline_items t ON t.position = s.rowid
		WHERE message_search MATCH ? ORDER BY s.rowid`,
		[term]
	);
const timeline = () => db.selectValues('SELECT message_id FROM timeline_items ORDER BY position');

test('a deferred batch shows its messages at once; indexSearchBacklog makes them searchable, oldest chunk first', () => {
	applyDeferred(...['m1', 'm2', 'm3', 'm4', 'm5'].map((id) => send(id, `hello ${id}`)));
	expect(timeline()).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
	expect(found('hello')).toEqual([]);
	expect(hasSearchBacklog(db)).toBe(true);

	expect(indexSearchBacklog(db, 2)).toBe(true);
	expect(found('hello')).toEqual(['m1', 'm2']);
	expect(indexSearchBacklog(db, 2)).toBe(true);
	expect(indexSearchBacklog(db, 2)).toBe(true);
	expect(found('hello')).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
	expect(indexSearchBacklog(db, 2)).toBe(false);
	expect(hasSearchBacklog(db)).toBe(false);
	db.exec(`INSERT INTO message_search(message_search, rank) VALUES ('integrity-check', 1)`);
});

test('edits and deletes of messages still waiting to be indexed leave only what they show in the index', () => {
	applyDeferred(send('m1', 'old words'), send('m2', 'doomed words'), send('m3', 'kept words'));
	expect(indexSearchBacklog(db, 1)).toBe(true);
	// m1 is indexed now; m2 and m3 are still queued when they change, in a later transaction.
	applyDeferred(
		change('message', 'update', 'm1', message('m1', 'new words'), 't-e1'),
		change('message', 'delete', 'm2', undefined, 't-d2'),
		change('message', 'update', 'm3', message('m3', 'kept words, edited'), 't-e3')
	);
	while (indexSearchBacklog(db, 1));
	expect(found('words')).toEqual(['m1', 'm3']);
	expect(found('old OR doomed')).toEqual([]);
	expect(found('new')).toEqual(['m1']);
	expect(found('edited')).toEqual(['m3']);
	db.exec(`INSERT INTO message_search(message_search, rank) VALUES ('integrity-check', 1)`);
});

test('a batch that indexes, applied while a backlog waits, indexes the backlog with its own rows', () => {
	applyDeferred(send('m1', 'first'));
	applyBatch(db, entriesFrom(parseOffset(appliedOffset(db)) as number, [send('m2', 'second')]));
	expect(found('first OR second')).toEqual(['m1', 'm2']);
	expect(hasSearchBacklog(db)).toBe(false);
});
