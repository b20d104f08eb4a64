/**
 * The difference between two results of one live query, keyed by each row's first column (a primary key or rowid
 * is what live queries select first). The new order is sent as keys; only rows that are new or changed travel in
 * full. Both sides import this module, so what the worker diffs the page can patch.
 */
import type { Row } from './db-protocol';

export interface RowDiff {
	/** The keys of the new result, in its order. */
	keys: unknown[];
	/** Rows that were added or changed, by their index in `keys`. */
	upserts: [index: number, row: Row][];
}

/** A result's rows by key, with each row's JSON to compare cheaply; undefined when keys are not unique. */
export type KeyedRows = Map<unknown, string>;

export function keyRows(rows: readonly Row[]): KeyedRows | undefined {
	const keyed: KeyedRows = new Map();
	for (const row of rows) {
		const key = keyOf(row);
		if (keyed.has(key)) return undefined;
		keyed.set(key, JSON.stringify(row));
	}
	return keyed;
}

/** Returns undefined when nothing changed (same keys, same order, same rows). */
export function diffRows(previous: KeyedRows, rows: readonly Row[], next: KeyedRows): RowDiff | undefined {
	const upserts: [number, Row][] = [];
	const keys = rows.map(keyOf);
	const previousKeys = [...previous.keys()];
	rows.forEach((row, index) => {
		if (previous.get(keys[index]) !== next.get(keys[index])) upserts.push([index, row]);
	});
	const sameOrder = keys.length === previousKeys.length && keys.every((key, index) => key === previousKeys[index]);
	return upserts.length === 0 && sameOrder ? undefined : { keys, upserts };
}

/** Rebuilds the new result from the previous rows and a diff. */
export function patchRows(previous: readonly Row[], diff: RowDiff): Row[] {
	const byKey = new Map(previous.map((row) => [keyOf(row), row]));
	const rows = diff.keys.map((key) => byKey.get(key)!);
	for (const [index, row] of diff.upserts) rows[index] = row;
	return rows;
}

function keyOf(row: Row): unknown {
	for (const key in row) return row[key];
	return undefined;
}
