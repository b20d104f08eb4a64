/**
 * Apply throughput against raw sqlite-wasm on the same rows. The figures are for docs/BENCHMARKS.md; nothing
 * asserts on time. `db` must be a fresh database (benchApply migrates it; benchRawInsert creates its own table).
 */
import type { Sqlite3Static } from '@sqlite.org/sqlite-wasm';
import { v7 as uuidv7 } from 'uuid';
import { formatOffset } from '#lib/shared/offsets.ts';
import { applyBatch } from './apply-batch';
import { migrate } from './migrate';
import type { Db, InboxEntry } from './types';

const CHANNELS = 5;
const USERS = 20;
const WORDS = ['replica', 'offline', 'sync', 'message', 'channel', 'search', 'stream', 'worker', 'the', 'a', 'of'];

/** A ~100-character body from a cheap deterministic generator, so runs are comparable. */
function body(i: number): string {
	let text = '';
	for (let w = i; text.length < 100; w = (w * 1103515245 + 12345) >>> 0) text += WORDS[w % WORDS.length] + ' ';
	return text.trimEnd();
}

interface MessageRow {
	id: string;
	channelId: string;
	authorId: string;
	body: string;
	createdAt: string;
}

/**
 * How the workload's message and command ids are made: 'time-ordered' as the app's clients make them (UUIDv7, see
 * newId in #lib/client/commands.ts), or 'random' (UUIDv4), to show what that ordering is worth.
 */
export type IdOrder = 'time-ordered' | 'random';

const idMaker = (ids: IdOrder) => (ids === 'random' ? () => crypto.randomUUID() : () => uuidv7());

function messageRow(i: number, id: string): MessageRow {
	return {
		id,
		channelId: `c${i % CHANNELS}`,
		authorId: `u${i % USERS}`,
		body: body(i),
		createdAt: new Date(1_700_000_000_000 + i * 1000).toISOString()
	};
}

/** n events: USERS user inserts, then messages, with a reaction to the previous message after every tenth. */
export function chatWorkload(n: number, ids: IdOrder = 'time-ordered'): InboxEntry[] {
	const newId = idMaker(ids);
	const events: unknown[] = [];
	for (let u = 0; u < USERS && events.length < n; u++) {
		events.push({
			type: 'user',
			key: `u${u}`,
			value: { id: `u${u}`, name: `User ${u}` },
			headers: { operation: 'insert', txid: `tu${u}` }
		});
	}
	for (let i = 0; events.length < n; i++) {
		const value = messageRow(i, newId());
		events.push({ type: 'message', key: value.id, value, headers: { operation: 'insert', txid: newId() } });
		if (i % 10 === 9 && events.length < n) {
			const reaction = { messageId: value.id, userId: `u${(i + 1) % USERS}`, emoji: '👍' };
			const key = `${reaction.messageId}:${reaction.userId}:👍`;
			events.push({ type: 'reaction', key, value: reaction, headers: { operation: 'insert', txid: newId() } });
		}
	}
	return events.map((event, i) => ({ offset: formatOffset(i + 1), event }));
}

/** Events per second through applyBatch, in batches of `batchSize` (one transaction each). */
export function benchApply(_sqlite3: Sqlite3Static, db: Db, n: number, batchSize = n, ids?: IdOrder): number {
	migrate(db);
	const entries = chatWorkload(n, ids);
	const started = performance.now();
	for (let i = 0; i < entries.length; i += batchSize) applyBatch(db, entries.slice(i, i + batchSize));
	return n / ((performance.now() - started) / 1000);
}

/**
 * Rows per second for the same messages into a plain 5-column table: one prepared statement, `perTransaction` rows
 * per transaction (all of them by default).
 */
export function benchRawInsert(_sqlite3: Sqlite3Static, db: Db, n: number, perTransaction = n): number {
	db.exec(
		'CREATE TABLE bench_messages(id TEXT PRIMARY KEY, channel_id TEXT, author_id TEXT, body TEXT, created_at TEXT)'
	);
	const newId = idMaker('time-ordered');
	const rows = Array.from({ length: n }, (_, i) => messageRow(i, newId()));
	const insert = db.prepare('INSERT INTO bench_messages VALUES (?, ?, ?, ?, ?)');
	const started = performance.now();
	for (let i = 0; i < n; i += perTransaction) {
		db.transaction(() => {
			for (const row of rows.slice(i, i + perTransaction)) {
				insert.bind([row.id, row.channelId, row.authorId, row.body, row.createdAt]).stepReset();
			}
		});
	}
	const elapsed = performance.now() - started;
	insert.finalize();
	return n / (elapsed / 1000);
}
