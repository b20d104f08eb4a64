/**
 * Figures of a replica that holds a lot: the timeline page query through window.replica.query, the database size,
 * and memory (the renderer's resident set; the DB worker's WebAssembly heap, where SQLite's page cache lives, and
 * its JS heap).
 */
import type { Page } from '@playwright/test';
import { rendererMemoryMb, type AppUnderTest } from './app-under-test.ts';
import { progress, summarise, type BenchRow } from './report.ts';

const QUERY_RUNS = 100;

export async function storedStateBench(page: Page, app: AppUnderTest): Promise<BenchRow[]> {
	progress('query, size and memory with what is stored');
	const stored = await page.evaluate(async (runs) => {
		const replica = window.replica!;
		const [{ messages }] = (await replica.query('SELECT count(*) AS messages FROM messages')) as { messages: number }[];
		const sql = `SELECT t.position, t.message_id, t.author_id, t.author_name, t.body, t.created_at, t.edited,
			t.pending, t.reactions FROM timeline_rows t WHERE t.channel_id = ? AND t.position < ?
			ORDER BY t.position DESC LIMIT 50`;
		const latencies: number[] = [];
		for (let run = 0; run < runs; run++) {
			const started = performance.now();
			await replica.query(sql, ['general', Number.MAX_SAFE_INTEGER - run]);
			latencies.push(performance.now() - started);
		}
		const [{ bytes }] = (await replica.query(
			'SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()'
		)) as { bytes: number }[];
		const { usage } = await navigator.storage.estimate();
		const { wasmHeapBytes } = await replica.status();
		return { messages, latencies, bytes, usage: usage ?? 0, wasmHeapBytes };
	}, QUERY_RUNS);
	// The page's only dedicated worker is its DB worker (the coordinator is a SharedWorker).
	const [dbWorkerHeap] = await app.workerHeapsMb(page.context());
	const per100k = (bytes: number) => bytes / 1024 / 1024 / (stored.messages / 100_000);
	return [
		{
			area: 'query',
			name: `timeline page (50 rows) via window.replica.query, ${stored.messages} messages stored`,
			unit: 'ms',
			...summarise(stored.latencies)
		},
		{
			area: 'size',
			name: `SQLite file per 100k messages (${stored.messages} stored)`,
			unit: 'MB',
			p50: per100k(stored.bytes)
		},
		{
			area: 'size',
			name: 'origin storage (OPFS + IndexedDB) per 100k messages',
			unit: 'MB',
			p50: per100k(stored.usage)
		},
		{
			area: 'memory',
			name: `largest renderer RSS (page + DB worker), ${stored.messages} messages stored`,
			unit: 'MB',
			p50: rendererMemoryMb()[0] ?? 0
		},
		{
			area: 'memory',
			name: `DB worker's WebAssembly heap (SQLite's memory, high-water), ${stored.messages} messages stored`,
			unit: 'MB',
			p50: stored.wasmHeapBytes / 1024 / 1024
		},
		{
			area: 'memory',
			name: `DB worker's JS heap (used), ${stored.messages} messages stored`,
			unit: 'MB',
			p50: dbWorkerHeap ?? 0
		}
	];
}
