import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogStore } from '../log/store.ts';
import { createStreamHandler, type StreamHandler } from './handler.ts';

const base = 'http://replica.test/v1/stream/';
let dir: string;
let store: LogStore;
let readOnly: StreamHandler;
let writable: StreamHandler;

beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'replica-handler-'));
	store = new LogStore(join(dir, 'log.sqlite'));
	store.ensureStream('chat');
	store.appendJson('chat', [{ n: 1 }, { n: 2 }, { n: 3 }]);
	readOnly = createStreamHandler({ store, publicWrites: false, longPollTimeoutMs: 100 });
	writable = createStreamHandler({ store, publicWrites: true, longPollTimeoutMs: 100 });
});

afterEach(() => {
	store.close();
	rmSync(dir, { recursive: true, force: true });
});

describe('public writes closed', () => {
	it.each(['PUT', 'POST', 'DELETE'])('refuses %s with 405 and points at POST /api/commands', async (method) => {
		const response = await readOnly(new Request(`${base}chat`, { method, body: method === 'DELETE' ? null : '[1]' }));
		expect(response.status).toBe(405);
		expect(response.headers.get('Allow')).toBe('GET, HEAD, OPTIONS');
		expect((await response.json()).error).toMatch(/POST \/api\/commands/);
		expect(store.headOffset('chat')).toBe('0000000000000003');
	});

	it('advertises only reads to CORS preflights', async () => {
		const response = await readOnly(new Request(`${base}chat`, { method: 'OPTIONS' }));
		expect(response.headers.get('Access-Control-Allow-Methods')).toBe('GET, HEAD, OPTIONS');
		expect(response.headers.get('Access-Control-Allow-Headers')).toBe('If-None-Match');
	});
});

describe('reads', () => {
	it('returns JSON messages as an array with the protocol headers, readable from any origin', async () => {
		const response = await readOnly(new Request(`${base}chat?offset=0000000000000001`));
		expect(await response.json()).toEqual([{ n: 2 }, { n: 3 }]);
		expect(response.headers.get('Stream-Next-Offset')).toBe('0000000000000003');
		expect(response.headers.get('Stream-Up-To-Date')).toBe('true');
		expect(response.headers.get('Access-Control-Allow-Origin')).toBe('*');
		expect(response.headers.get('Access-Control-Expose-Headers')).toContain('Stream-Next-Offset');
	});

	it('caches full chunks, revalidates tail reads, and answers a matching If-None-Match with 304', async () => {
		const small = createStreamHandler({
			store,
			publicWrites: false,
			longPollTimeoutMs: 100,
			readLimits: { maxMessages: 2, maxBytes: 1e6 }
		});
		const chunk = await small(new Request(`${base}chat`));
		expect(chunk.headers.get('Cache-Control')).toBe('public, max-age=60, stale-while-revalidate=300');
		expect(chunk.headers.get('Stream-Up-To-Date')).toBeNull();
		const tail = await small(new Request(`${base}chat?offset=0000000000000002`));
		expect(tail.headers.get('Cache-Control')).toBe('no-cache');
		const again = await small(new Request(`${base}chat`, { headers: { 'If-None-Match': chunk.headers.get('ETag')! } }));
		expect(again.status).toBe(304);
	});

	it('rejects offsets that are malformed or past the tail, naming the parameter', async () => {
		for (const offset of ['abc', '0000000000000009']) {
			const response = await readOnly(new Request(`${base}chat?offset=${offset}`));
			expect(response.status).toBe(400);
			expect((await response.json()).error).toMatch(/^offset:/);
		}
	});

	it('answers a long-poll at the tail with the news appended while it waits', async () => {
		const polling = readOnly(new Request(`${base}chat?offset=0000000000000003&live=long-poll`));
		setTimeout(() => store.appendJson('chat', [{ n: 4 }]), 10);
		const response = await polling;
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual([{ n: 4 }]);
		expect(response.headers.get('Stream-Cursor')).toMatch(/^\d+$/);
	});
});

describe('writes (public writes on)', () => {
	it('creates a JSON stream and appends each element of a POSTed array as one message', async () => {
		const created = await writable(
			new Request(`${base}room/1`, { method: 'PUT', headers: { 'Content-Type': 'application/json' } })
		);
		expect(created.status).toBe(201);
		const appended = await writable(
			new Request(`${base}room/1`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: '[{"a":1},[2,3]]'
			})
		);
		expect(appended.headers.get('Stream-Next-Offset')).toBe('0000000000000002');
		expect(await (await writable(new Request(`${base}room/1`))).json()).toEqual([{ a: 1 }, [2, 3]]);
	});

	it('refuses bodies over the size limit with 413', async () => {
		const tiny = createStreamHandler({ store, publicWrites: true, longPollTimeoutMs: 100, maxBodyBytes: 8 });
		const response = await tiny(
			new Request(`${base}chat`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: '["0123456789"]'
			})
		);
		expect(response.status).toBe(413);
		expect(store.headOffset('chat')).toBe('0000000000000003');
	});
});
