/**
 * Server-side throughput of the event log and the Durable Streams handler (never a timed assertion):
 * - appends through LogStore: single-event transactions and 100-event batches (each one fsynced commit), against
 *   raw node:sqlite INSERTs of the same rows in the same batches on the same pragmas (the baseline);
 * - catch-up: reading a 100k-event JSON stream from -1 over HTTP on loopback, following Stream-Next-Offset, from a
 *   node:http server running the same handler as the SvelteKit route; baseline: a raw SELECT of the same rows.
 *
 * Run: node bench/server-throughput.ts   (Node >= 24; the main bench runner calls runServerBench()).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LogStore } from '../src/lib/server/log/store.ts';
import { createStreamHandler } from '../src/lib/server/streams/handler.ts';
import { serveOnNode } from '../src/lib/server/streams/node-adapter.ts';

export interface BenchResult {
	name: string;
	value: number;
	unit: string;
	/** The same measure for the reference it should be compared with, when there is one. */
	baseline?: number;
}

const SINGLE_APPENDS = 1_000;
const BATCHES = 300;
const BATCH_SIZE = 100;
const CATCH_UP_EVENTS = 100_000;
const CATCH_UP_RUNS = 5;

/** A State Protocol change event of the size the chat appends (~300 bytes of JSON). */
function chatEvent(n: number) {
	return {
		type: 'message',
		key: `m-${n}`,
		value: {
			id: `m-${n}`,
			channelId: 'c-general',
			authorId: `u-${n % 50}`,
			body: `message ${n}: the quick brown fox jumps over the lazy dog, again and again and again`,
			createdAt: new Date(1_767_225_600_000 + n * 1000).toISOString()
		},
		headers: { operation: 'insert', txid: `cmd-${n}`, timestamp: new Date(1_767_225_600_000 + n * 1000).toISOString() }
	};
}

function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function round(value: number, digits = 0): number {
	const scale = 10 ** digits;
	return Math.round(value * scale) / scale;
}

/** Times `run(i)` `count` times; returns total seconds and per-call latencies in ms, sorted. */
async function timeEach(count: number, run: (i: number) => unknown): Promise<{ seconds: number; latencies: number[] }> {
	const latencies: number[] = [];
	const start = performance.now();
	for (let i = 0; i < count; i++) {
		const before = performance.now();
		await run(i);
		latencies.push(performance.now() - before);
	}
	return { seconds: (performance.now() - start) / 1000, latencies: latencies.sort((a, b) => a - b) };
}

/** Raw node:sqlite with the log's pragmas: one INSERT per row, `batchSize` rows per transaction. */
async function rawInsertRate(dir: string, batches: number, batchSize: number): Promise<number> {
	const db = new DatabaseSync(join(dir, `raw-${batchSize}.sqlite`));
	db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
		CREATE TABLE rows (seq INTEGER PRIMARY KEY, data TEXT NOT NULL) STRICT;`);
	const insert = db.prepare('INSERT INTO rows (seq, data) VALUES (?, ?)');
	let seq = 0;
	const { seconds } = await timeEach(batches, () => {
		db.exec('BEGIN IMMEDIATE');
		for (let i = 0; i < batchSize; i++, seq++) insert.run(seq, JSON.stringify(chatEvent(seq)));
		db.exec('COMMIT');
	});
	db.close();
	return (batches * batchSize) / seconds;
}

async function appendBench(dir: string): Promise<BenchResult[]> {
	const store = new LogStore(join(dir, 'append.sqlite'));
	store.ensureStream('single');
	store.ensureStream('batched');
	let n = 0;
	const single = await timeEach(SINGLE_APPENDS, () => store.appendJson('single', [chatEvent(n++)]));
	const batched = await timeEach(BATCHES, () =>
		store.appendJson(
			'batched',
			Array.from({ length: BATCH_SIZE }, () => chatEvent(n++))
		)
	);
	store.close();
	return [
		{
			name: 'append, 1 event per transaction',
			value: round(SINGLE_APPENDS / single.seconds),
			unit: 'events/s',
			baseline: round(await rawInsertRate(dir, SINGLE_APPENDS, 1))
		},
		{ name: 'append, 1 event per transaction, p50', value: round(percentile(single.latencies, 50), 3), unit: 'ms' },
		{ name: 'append, 1 event per transaction, p95', value: round(percentile(single.latencies, 95), 3), unit: 'ms' },
		{
			name: `append, ${BATCH_SIZE} events per transaction`,
			value: round((BATCHES * BATCH_SIZE) / batched.seconds),
			unit: 'events/s',
			baseline: round(await rawInsertRate(dir, BATCHES, BATCH_SIZE))
		},
		{
			name: `append, ${BATCH_SIZE} events per transaction, p50`,
			value: round(percentile(batched.latencies, 50), 3),
			unit: 'ms'
		},
		{
			name: `append, ${BATCH_SIZE} events per transaction, p95`,
			value: round(percentile(batched.latencies, 95), 3),
			unit: 'ms'
		}
	];
}

/** Reads the whole stream from -1 over HTTP; returns the number of events and requests. */
async function catchUp(url: string): Promise<{ events: number; requests: number }> {
	let offset = '-1';
	let events = 0;
	let requests = 0;
	for (;;) {
		const response = await fetch(`${url}?offset=${offset}`);
		requests++;
		const batch = (await response.json()) as unknown[];
		events += batch.length;
		offset = response.headers.get('Stream-Next-Offset') as string;
		if (response.headers.get('Stream-Up-To-Date') === 'true') return { events, requests };
	}
}

async function catchUpBench(dir: string): Promise<BenchResult[]> {
	const store = new LogStore(join(dir, 'catch-up.sqlite'));
	store.ensureStream('chat');
	for (let n = 0; n < CATCH_UP_EVENTS; n += 10_000) {
		store.appendJson(
			'chat',
			Array.from({ length: 10_000 }, (_, i) => chatEvent(n + i))
		);
	}
	const running = await serveOnNode(createStreamHandler({ store, publicWrites: false, longPollTimeoutMs: 1000 }));
	const url = `${running.origin}/v1/stream/chat`;
	await catchUp(url); // warm-up: JIT and page cache
	let requests = 0;
	const runs = await timeEach(CATCH_UP_RUNS, async () => {
		const result = await catchUp(url);
		if (result.events !== CATCH_UP_EVENTS)
			throw new Error(`catch-up read ${result.events} events, expected ${CATCH_UP_EVENTS}`);
		requests = result.requests;
	});
	await running.close();

	const select = store.db.prepare('SELECT data FROM messages WHERE stream_id = ? ORDER BY seq');
	const streamId = store.stream('chat')!.id;
	const raw = await timeEach(CATCH_UP_RUNS, () => select.all(streamId));
	store.close();
	const rate = (seconds: number) => round(CATCH_UP_EVENTS / seconds);
	return [
		{
			name: `catch-up ${CATCH_UP_EVENTS / 1000}k events over HTTP, p50`,
			value: rate(percentile(runs.latencies, 50) / 1000),
			unit: 'events/s',
			baseline: rate(percentile(raw.latencies, 50) / 1000)
		},
		{
			name: `catch-up ${CATCH_UP_EVENTS / 1000}k events over HTTP, p95 (slowest runs)`,
			value: rate(percentile(runs.latencies, 95) / 1000),
			unit: 'events/s'
		},
		{
			name: `catch-up ${CATCH_UP_EVENTS / 1000}k events, time p50`,
			value: round(percentile(runs.latencies, 50), 1),
			unit: 'ms'
		},
		{ name: 'catch-up requests per 100k events', value: requests, unit: 'requests' }
	];
}

export async function runServerBench(): Promise<BenchResult[]> {
	const dir = mkdtempSync(join(tmpdir(), 'replica-bench-'));
	try {
		return [...(await appendBench(dir)), ...(await catchUpBench(dir))];
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	for (const result of await runServerBench()) {
		const baseline =
			result.baseline === undefined
				? ''
				: `  (raw SQLite: ${result.baseline}, ratio ${round(result.value / result.baseline, 2)})`;
		console.log(`${result.name.padEnd(52)} ${String(result.value).padStart(10)} ${result.unit}${baseline}`);
	}
}
