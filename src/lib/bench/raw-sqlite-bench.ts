/**
 * Inserts in a dedicated worker: raw sqlite-wasm (the baseline in ENVIRONMENT.md) and the replica core's applyBatch
 * on the same workload, both in memory and on OPFS. The bench's SAH pool has its own name and directory, so it
 * never touches the app's pool (whose worker may be running in the same tab).
 */
import sqlite3InitModule, { type Database } from '@sqlite.org/sqlite-wasm';
import { benchApply, benchRawInsert } from '#lib/db/core/bench.ts';
import { closeCore } from '#lib/db/core/index.ts';
import { REPLICA_PRAGMAS } from '#lib/db/open-database.ts';
import { RANDOM_IDS, type BenchFigure, type BenchWorkerMessage } from './protocol';

const POOL = { name: 'replica-bench-pool', directory: '.replica-bench-pool', initialCapacity: 8 };
const ROWS = 100_000;
const EVENTS = 100_000;
const QUERY_RUNS = 200;
const PER_TRANSACTION = 1_000;

export type BenchStorage = 'memory' | 'opfs';

export async function runRawSqliteBench(
	post: (message: BenchWorkerMessage) => void,
	storages: readonly BenchStorage[],
	{ randomIds }: { randomIds: boolean }
): Promise<void> {
	try {
		const sqlite3 = await sqlite3InitModule();
		const pool = await sqlite3.installOpfsSAHPoolVfs(POOL);
		let file = 0;
		// A fresh database per measurement: the previous one's pages would skew the next.
		const open = (where: BenchStorage): Database => {
			if (where === 'memory') return new sqlite3.oo1.DB(':memory:');
			const db = new pool.OpfsSAHPoolDb(`/bench-${file++}.sqlite3`);
			// The app's connection settings, so OPFS figures are the app's.
			db.exec(REPLICA_PRAGMAS);
			return db;
		};
		const figures: BenchFigure[] = [];
		const measure = (name: string, where: BenchStorage, run: (db: Database) => number) => {
			const unit = name.startsWith('raw') ? 'rows/s' : 'events/s';
			post({ ns: 'replica-bench', kind: 'progress', message: name });
			const db = open(where);
			figures.push({ name, value: run(db), unit });
			if (where === 'opfs' && name.endsWith('per batch')) figures.push(...timeTimelinePage(db));
			closeCore(db);
			db.close();
		};
		for (const where of storages) {
			measure(`raw insert ${where}, one transaction`, where, (db) => benchRawInsert(sqlite3, db, ROWS));
			measure(`raw insert ${where}, ${PER_TRANSACTION} per transaction`, where, (db) =>
				benchRawInsert(sqlite3, db, ROWS, PER_TRANSACTION)
			);
			measure(`core applyBatch ${where}, one batch`, where, (db) => benchApply(sqlite3, db, EVENTS));
			measure(`core applyBatch ${where}, ${PER_TRANSACTION} per batch`, where, (db) =>
				benchApply(sqlite3, db, EVENTS, PER_TRANSACTION)
			);
		}
		// What time-ordered ids are worth: the same workload with random ones, where the file outgrows the page cache.
		if (randomIds) {
			measure(`core applyBatch opfs, ${PER_TRANSACTION} per batch${RANDOM_IDS}`, 'opfs', (db) =>
				benchApply(sqlite3, db, EVENTS, PER_TRANSACTION, 'random')
			);
		}
		await pool.wipeFiles();
		post({ ns: 'replica-bench', kind: 'done', figures });
	} catch (error) {
		post({ ns: 'replica-bench', kind: 'failed', message: String(error) });
	}
}

/**
 * The timeline's page query (as in #lib/client/ui/timeline-window.svelte.ts) on the database just filled with
 * EVENTS events, timed inside the worker: no message passing, only SQLite. Reported as latencies in ms.
 */
function timeTimelinePage(db: Database): BenchFigure[] {
	const sql = `SELECT t.position, t.message_id, t.author_id, t.author_name, t.body, t.created_at, t.edited, t.pending,
		t.reactions, (SELECT json_group_array(r.emoji) FROM reactions r WHERE r.message_id = t.message_id
		AND r.user_id = ?) AS mine
		FROM timeline_rows t WHERE t.channel_id = ? AND t.position < ? ORDER BY t.position DESC LIMIT 50`;
	const latencies: number[] = [];
	for (let run = 0; run < QUERY_RUNS; run++) {
		const started = performance.now();
		db.selectObjects(sql, ['u1', `c${run % 5}`, Number.MAX_SAFE_INTEGER - run]);
		latencies.push(performance.now() - started);
	}
	latencies.sort((a, b) => a - b);
	const at = (p: number) => latencies[Math.floor((p / 100) * (latencies.length - 1))];
	return [
		{ name: 'timeline page query in worker, p50', value: at(50), unit: 'ms' },
		{ name: 'timeline page query in worker, p95', value: at(95), unit: 'ms' }
	];
}
