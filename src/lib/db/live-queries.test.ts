import { describe, expect, it } from 'vitest';
import type { DbReply } from '#lib/shared/db-protocol.ts';
import { ChangeTracker } from './change-tracker';
import { applyBatch } from './core';
import { change, entriesFrom, loadSqlite, openMemoryDb } from './core/testing';
import { LiveQueries } from './live-queries';
import type { ClientPort } from './serve-client';
import { SqlReader } from './sql-reader';

const at = '2026-11-22T10:00:00.000Z';

async function setup() {
	const db = await openMemoryDb();
	const sqlite3 = await loadSqlite();
	const liveQueries = new LiveQueries(new SqlReader(sqlite3, db), new ChangeTracker(sqlite3, db));
	let offset = 0;
	const apply = (...events: unknown[]) => {
		applyBatch(db, entriesFrom(offset, events));
		offset += events.length;
		liveQueries.refresh();
	};
	const received: DbReply[] = [];
	const port: ClientPort = { onmessage: null, postMessage: (reply: DbReply) => received.push(reply) };
	apply(
		change('user', 'insert', 'u1', { id: 'u1', name: 'Ada' }),
		change('channel', 'insert', 'general', {
			id: 'general',
			spaceId: 'replica',
			name: 'general',
			createdBy: 'u1',
			createdAt: at
		})
	);
	const message = (id: string, body: string, operation: 'insert' | 'update' = 'insert') =>
		change(
			'message',
			operation,
			id,
			{ id, channelId: 'general', authorId: 'u1', body, createdAt: at },
			`tx-${id}-${body}`
		);
	return { db, liveQueries, apply, received, port, message };
}

describe('live queries', () => {
	it('re-runs a join when either table changes, and sends only the changed row', async () => {
		const { liveQueries, apply, received, port, message } = await setup();
		liveQueries.subscribe(
			port,
			1,
			'SELECT m.id, m.body, u.name FROM messages m JOIN users u ON u.id = m.author_id ORDER BY m.id',
			[]
		);
		expect(received).toEqual([{ ns: 'replica-db', kind: 'rows', subId: 1, rows: [] }]);

		apply(message('m1', 'hello'), message('m2', 'world'));
		apply(change('user', 'update', 'u1', { id: 'u1', name: 'Ada L.' }));
		apply(message('m2', 'world, edited', 'update'));

		expect(received.slice(1)).toEqual([
			{
				ns: 'replica-db',
				kind: 'rows-diff',
				subId: 1,
				diff: {
					keys: ['m1', 'm2'],
					upserts: [
						[0, { id: 'm1', body: 'hello', name: 'Ada' }],
						[1, { id: 'm2', body: 'world', name: 'Ada' }]
					]
				}
			},
			{
				ns: 'replica-db',
				kind: 'rows-diff',
				subId: 1,
				diff: {
					keys: ['m1', 'm2'],
					upserts: [
						[0, { id: 'm1', body: 'hello', name: 'Ada L.' }],
						[1, { id: 'm2', body: 'world', name: 'Ada L.' }]
					]
				}
			},
			{
				ns: 'replica-db',
				kind: 'rows-diff',
				subId: 1,
				diff: { keys: ['m1', 'm2'], upserts: [[1, { id: 'm2', body: 'world, edited', name: 'Ada L.' }]] }
			}
		]);
	});

	it('does not re-run a query whose tables did not change, and sends nothing when its result is the same', async () => {
		const { liveQueries, apply, received, port, message } = await setup();
		liveQueries.subscribe(port, 1, 'SELECT id, name FROM channels', []);
		liveQueries.subscribe(port, 2, "SELECT count(*) AS n FROM timeline_items WHERE channel_id = 'elsewhere'", []);
		received.length = 0;
		const before = liveQueries.stats.reruns;

		apply(message('m1', 'hello'));

		expect(liveQueries.stats.reruns - before).toBe(1);
		expect(received).toEqual([]);
	});

	it('only marks a hidden tab stale, and refreshes it once when it shows again', async () => {
		const { liveQueries, apply, received, port, message } = await setup();
		liveQueries.subscribe(port, 1, 'SELECT message_id, body FROM timeline_items ORDER BY position', []);
		liveQueries.setHidden(port, true);
		received.length = 0;

		apply(message('m1', 'one'));
		apply(message('m2', 'two'));
		expect(received).toEqual([]);

		liveQueries.setHidden(port, false);
		expect(received).toHaveLength(1);
		expect(received[0]).toMatchObject({ kind: 'rows-diff', diff: { keys: ['m1', 'm2'] } });
	});

	it('does not re-run a query when an update changed only columns it does not read', async () => {
		const { liveQueries, apply, received, port, message } = await setup();
		apply(message('m1', 'hello'));
		liveQueries.subscribe(port, 1, 'SELECT message_id, body FROM timeline_items ORDER BY position', []);
		liveQueries.subscribe(port, 2, 'SELECT message_id, reactions FROM timeline_items ORDER BY position', []);
		received.length = 0;
		const before = liveQueries.stats.reruns;

		apply(change('reaction', 'insert', 'm1:u1:👍', { messageId: 'm1', userId: 'u1', emoji: '👍' }));

		expect(liveQueries.stats.reruns - before).toBe(1);
		expect(received).toEqual([
			{
				ns: 'replica-db',
				kind: 'rows-diff',
				subId: 2,
				diff: { keys: ['m1'], upserts: [[0, { message_id: 'm1', reactions: '{"👍":1}' }]] }
			}
		]);
		expect(liveQueries.stats.recentRefreshes.at(-1)).toMatchObject({ reran: 1, posted: 1 });
	});

	it('runs a statement once per write for every tab subscribed to it with the same params', async () => {
		const { liveQueries, apply, received, port, message } = await setup();
		const otherTab: DbReply[] = [];
		const otherPort: ClientPort = { onmessage: null, postMessage: (reply: DbReply) => otherTab.push(reply) };
		const sql = 'SELECT message_id, body FROM timeline_items WHERE channel_id = ? ORDER BY position';
		liveQueries.subscribe(port, 1, sql, ['general']);
		liveQueries.subscribe(otherPort, 7, sql, ['general']);
		liveQueries.subscribe(otherPort, 8, sql, ['elsewhere']);
		received.length = 0;
		otherTab.length = 0;
		const before = liveQueries.stats.reruns;

		apply(message('m1', 'hello'));

		expect(liveQueries.stats.reruns - before).toBe(2);
		const diff = { keys: ['m1'], upserts: [[0, { message_id: 'm1', body: 'hello' }]] };
		expect(received).toEqual([{ ns: 'replica-db', kind: 'rows-diff', subId: 1, diff }]);
		expect(otherTab).toEqual([{ ns: 'replica-db', kind: 'rows-diff', subId: 7, diff }]);
		expect(liveQueries.stats.recentRefreshes.at(-1)).toMatchObject({ reran: 2, posted: 2 });
	});

	it("posts each statement's answer to every tab subscribed to it before running the next statement", async () => {
		const { liveQueries, apply, message } = await setup();
		const posted: string[] = [];
		const tab = (name: string): ClientPort => ({
			onmessage: null,
			postMessage: (reply: DbReply) => posted.push(`${name}:${'subId' in reply ? reply.subId : '?'}`)
		});
		const [first, second] = [tab('first'), tab('second')];
		const timeline = 'SELECT message_id, body FROM timeline_items WHERE channel_id = ? ORDER BY position';
		liveQueries.subscribe(first, 1, 'SELECT count(*) AS n FROM timeline_items', []);
		liveQueries.subscribe(first, 2, timeline, ['general']);
		liveQueries.subscribe(second, 1, timeline, ['general']);
		posted.length = 0;

		apply(message('m1', 'hello'));

		expect(posted).toEqual(['first:1', 'first:2', 'second:1']);
		posted.length = 0;
		liveQueries.subscribe(first, 3, 'SELECT max(position) AS newest FROM timeline_items', []);
		liveQueries.subscribe(second, 2, 'SELECT count(*) AS n FROM timeline_items', []);
		posted.length = 0;

		apply(message('m2', 'world'));

		expect(posted).toEqual(['first:1', 'second:2', 'first:2', 'second:1', 'first:3']);
	});

	it('re-prepares and re-runs every query after the schema changed', async () => {
		const { db, liveQueries, received, port } = await setup();
		liveQueries.subscribe(port, 1, 'SELECT id, name FROM channels', []);
		received.length = 0;
		const before = liveQueries.stats.reruns;

		liveQueries.refresh();
		expect(liveQueries.stats.reruns - before).toBe(0);
		db.exec('ALTER TABLE channels ADD COLUMN topic TEXT');
		liveQueries.refresh();
		expect(liveQueries.stats.reruns - before).toBe(1);
		expect(received).toEqual([]);
	});
});
