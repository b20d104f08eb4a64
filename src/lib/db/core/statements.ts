/**
 * Prepared statements cached per database handle: the apply loop runs a handful of statements per event, and
 * preparing them each time would cost more than running them. closeCore finalizes them; call it before db.close().
 */
import type { BindingSpec, PreparedStatement, SqlValue } from '@sqlite.org/sqlite-wasm';
import type { Db } from './types';

const caches = new WeakMap<Db, Map<string, PreparedStatement>>();

function statement(db: Db, sql: string): PreparedStatement {
	let cache = caches.get(db);
	if (!cache) caches.set(db, (cache = new Map()));
	let prepared = cache.get(sql);
	if (!prepared) cache.set(sql, (prepared = db.prepare(sql)));
	return prepared;
}

/** Runs a cached write statement; returns the number of rows it changed (triggers not counted). */
export function run(db: Db, sql: string, bind?: BindingSpec): number {
	const prepared = statement(db, sql);
	try {
		if (bind !== undefined) prepared.bind(bind);
		prepared.step();
	} finally {
		prepared.reset(true);
	}
	return db.changes();
}

/** Runs a cached query and returns the first column of its first row, or undefined without a row. */
export function firstValue(db: Db, sql: string, bind?: BindingSpec): SqlValue | undefined {
	const prepared = statement(db, sql);
	try {
		if (bind !== undefined) prepared.bind(bind);
		return prepared.step() ? prepared.get(0) : undefined;
	} finally {
		prepared.reset(true);
	}
}

/** Finalizes this handle's cached statements. The core stays usable: statements are prepared again on demand. */
export function closeCore(db: Db): void {
	const cache = caches.get(db);
	if (!cache) return;
	caches.delete(db);
	for (const prepared of cache.values()) prepared.finalize();
}
