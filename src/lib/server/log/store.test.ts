import { mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogStore, StreamClosedError, StreamNotFoundError } from './store.ts';

let dir: string;
let store: LogStore;
let now: number;

beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'replica-store-'));
	now = Date.UTC(2026, 0, 1);
	store = new LogStore(join(dir, 'log.sqlite'), { now: () => now });
	store.ensureStream('chat');
});

afterEach(() => {
	store.close();
	rmSync(dir, { recursive: true, force: true });
});

describe('append and read', () => {
	it('gives each message the next 16-digit offset, with no gaps', () => {
		expect(store.headOffset('chat')).toBe('0000000000000000');
		expect(store.appendJson('chat', [{ a: 1 }, { a: 2 }])).toBe('0000000000000002');
		expect(store.appendJson('chat', [{ a: 3 }])).toBe('0000000000000003');
		const read = store.readJson('chat', '-1');
		expect(read.messages.map((text) => JSON.parse(text))).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
		expect(read).toMatchObject({ nextOffset: '0000000000000003', upToDate: true });
	});

	it('reads from an offset, up to a limit, and says when more remains', () => {
		store.appendJson('chat', [1, 2, 3, 4, 5]);
		expect(store.readJson('chat', '0000000000000001', 2)).toEqual({
			messages: ['2', '3'],
			nextOffset: '0000000000000003',
			upToDate: false
		});
		expect(store.readJson('chat', '0000000000000005')).toEqual({
			messages: [],
			nextOffset: '0000000000000005',
			upToDate: true
		});
	});

	it('refuses offsets that are not ours and streams that do not exist', () => {
		expect(() => store.readJson('chat', '12')).toThrow(/offset: "12"/);
		expect(() => store.appendJson('nope', [1])).toThrow(StreamNotFoundError);
	});

	it('stores bytes as they came and stops a read at the byte limit, but never returns nothing', () => {
		store.createStream('bytes', { contentType: 'application/octet-stream' });
		store.appendMessages('bytes', [new Uint8Array([0, 255]), new Uint8Array(100), new Uint8Array([7])]);
		const stream = store.stream('bytes')!;
		expect(store.readMessages(stream, 0, { maxMessages: 10, maxBytes: 1 })).toEqual([new Uint8Array([0, 255])]);
		expect(store.readMessages(stream, 1, { maxMessages: 10, maxBytes: 50 })).toHaveLength(1);
		expect(store.readMessages(stream, 0, { maxMessages: 10, maxBytes: 1000 })).toHaveLength(3);
	});
});

describe('transactions', () => {
	it('appends nothing when the transaction throws', () => {
		store.appendJson('chat', ['kept']);
		expect(() =>
			store.transaction(() => {
				store.appendJson('chat', ['lost 1', 'lost 2']);
				throw new Error('command rejected');
			})
		).toThrow('command rejected');
		expect(store.headOffset('chat')).toBe('0000000000000001');
		expect(store.readJson('chat', '-1').messages).toEqual(['"kept"']);
		expect(store.appendJson('chat', ['next'])).toBe('0000000000000002');
	});

	it('joins nested transactions into the outer one', () => {
		store.transaction(() => {
			store.appendJson('chat', [1]);
			store.transaction(() => store.appendJson('chat', [2]));
		});
		expect(store.headOffset('chat')).toBe('0000000000000002');
	});
});

describe('waitForAppend', () => {
	it('resolves at once when the stream is already past the offset', async () => {
		store.appendJson('chat', [1]);
		await expect(store.waitForAppend('chat', '-1', 10_000)).resolves.toBe(true);
	});

	it('wakes a waiter after COMMIT, never inside the transaction', async () => {
		let woke = false;
		const waiting = store.waitForAppend('chat', '-1', 10_000).then((news) => (woke = news));
		store.transaction(() => {
			store.appendJson('chat', [1]);
			expect(woke).toBe(false);
		});
		await waiting;
		expect(woke).toBe(true);
	});

	it('does not wake a waiter for a rolled-back append', async () => {
		const waiting = store.waitForAppend('chat', '-1', 50);
		expect(() =>
			store.transaction(() => {
				store.appendJson('chat', [1]);
				throw new Error('rollback');
			})
		).toThrow();
		await expect(waiting).resolves.toBe(false);
	});

	it('resolves false on abort, and true when the stream is closed', async () => {
		const abort = new AbortController();
		const aborted = store.waitForAppend('chat', '-1', 10_000, abort.signal);
		abort.abort();
		await expect(aborted).resolves.toBe(false);
		const closing = store.waitForAppend('chat', '-1', 10_000);
		store.closeStream('chat');
		await expect(closing).resolves.toBe(true);
	});
});

describe('stream lifecycle', () => {
	it('refuses appends once closed', () => {
		store.appendJson('chat', [1]);
		expect(store.closeStream('chat')).toBe(1);
		expect(() => store.appendJson('chat', [2])).toThrow(StreamClosedError);
		expect(store.headOffset('chat')).toBe('0000000000000001');
	});

	it('gives a stream re-created after delete a new identity and none of the old data', () => {
		store.appendJson('chat', [1]);
		const before = store.stream('chat')!;
		store.saveProducerState(before.id, 'p', { epoch: 0, lastSeq: 4 });
		expect(store.deleteStream('chat')).toBe(true);
		store.ensureStream('chat');
		const after = store.stream('chat')!;
		expect(after.id).not.toBe(before.id);
		expect(after.messageCount).toBe(0);
		expect(store.producerState(after.id, 'p')).toBeUndefined();
	});

	it('expires a TTL stream after idle time, and a read or write restarts the TTL', () => {
		store.createStream('ttl', { contentType: 'text/plain', ttlSeconds: 10 });
		now += 9_000;
		store.appendMessages('ttl', [new Uint8Array([1])]);
		now += 9_000;
		store.touch(store.stream('ttl')!);
		now += 9_000;
		expect(store.stream('ttl')).toBeDefined();
		now += 1_000;
		expect(store.stream('ttl')).toBeUndefined();
	});

	it('expires at a fixed time regardless of activity', () => {
		store.createStream('fixed', { contentType: 'text/plain', expiresAt: new Date(now + 5_000).toISOString() });
		now += 4_999;
		store.appendMessages('fixed', [new Uint8Array([1])]);
		now += 1;
		expect(store.stream('fixed')).toBeUndefined();
	});
});

describe('producer state', () => {
	it('round-trips and is updated in place', () => {
		const { id } = store.stream('chat')!;
		expect(store.producerState(id, 'p')).toBeUndefined();
		store.saveProducerState(id, 'p', { epoch: 0, lastSeq: 0 });
		store.saveProducerState(id, 'p', { epoch: 1, lastSeq: 3 });
		expect(store.producerState(id, 'p')).toEqual({ epoch: 1, lastSeq: 3 });
	});
});

describe('schema migration', () => {
	it('moves a file of the scaffold layout to the current one without losing messages', () => {
		const file = join(dir, 'scaffold.sqlite');
		const old = new DatabaseSync(file);
		old.exec(`
			CREATE TABLE streams (path TEXT PRIMARY KEY, content_type TEXT NOT NULL,
				message_count INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL) STRICT;
			CREATE TABLE messages (stream TEXT NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL,
				PRIMARY KEY (stream, seq)) STRICT, WITHOUT ROWID;
			INSERT INTO streams VALUES ('chat', 'application/json', 2, '2026-01-01T00:00:00Z');
			INSERT INTO messages VALUES ('chat', 1, '{"n":1}'), ('chat', 2, '{"n":2}');
		`);
		old.close();
		const migrated = new LogStore(file);
		expect(migrated.readJson('chat', '-1').messages).toEqual(['{"n":1}', '{"n":2}']);
		expect(migrated.appendJson('chat', [{ n: 3 }])).toBe('0000000000000003');
		migrated.close();
	});
});
