/**
 * P1 in Node: the replica core's apply (timeline, FTS5, unread counts, txids, raw log) against raw inserts of the
 * same rows, on sqlite-wasm (the engine the browser runs) and on native SQLite (`node:sqlite`, through a small
 * adapter so that the very same schema, triggers and statements run).
 */
import { benchApply, benchRawInsert } from '../src/lib/db/core/bench.ts';
import { closeCore } from '../src/lib/db/core/index.ts';
import { loadSqlite, openMemoryDb } from '../src/lib/db/core/testing.ts';
import type { Db } from '../src/lib/db/core/types.ts';
import { openNodeSqliteDb } from './node-sqlite-db.ts';
import { progress, summarise, type BenchRow } from './report.ts';

const EVENTS = 50_000;
const ROWS = 100_000;
const PER_BATCH = 1_000;
const RUNS = 3;

async function repeat(open: () => Db | Promise<Db>, measure: (db: Db) => number): Promise<number[]> {
	const rates: number[] = [];
	for (let run = 0; run < RUNS; run++) {
		const db = await open();
		rates.push(measure(db));
		closeCore(db);
		db.close();
	}
	return rates;
}

export async function nodeApplyBench(): Promise<BenchRow[]> {
	const sqlite3 = await loadSqlite();
	const rows: BenchRow[] = [];
	const engines = [
		{ label: 'sqlite-wasm in Node, in memory', open: () => openMemoryDb({ migrated: false }) },
		{ label: 'node:sqlite (native), in memory', open: () => openNodeSqliteDb() }
	];
	for (const { label, open } of engines) {
		progress(`P1 node: ${label}`);
		const raw = summarise(await repeat(open, (db) => benchRawInsert(sqlite3, db, ROWS)));
		const rawBatched = summarise(await repeat(open, (db) => benchRawInsert(sqlite3, db, ROWS, PER_BATCH)));
		const oneBatch = await repeat(open, (db) => benchApply(sqlite3, db, EVENTS));
		const batched = await repeat(open, (db) => benchApply(sqlite3, db, EVENTS, PER_BATCH));
		const against = (name: string, value: number) => ({ name, value });
		rows.push(
			{ area: 'P1', name: `raw insert, ${label}, 1 tx`, unit: 'rows/s', ...raw },
			{
				area: 'P1',
				name: `core apply, ${label}, 1 batch`,
				unit: 'events/s',
				...summarise(oneBatch),
				baseline: against('raw insert, 1 tx', raw.p50)
			},
			{
				area: 'P1',
				name: `core apply, ${label}, ${PER_BATCH}/batch`,
				unit: 'events/s',
				...summarise(batched),
				baseline: against(`raw insert, ${PER_BATCH}/tx`, rawBatched.p50)
			}
		);
	}
	return rows;
}
