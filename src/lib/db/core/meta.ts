/** replica_meta: small named values that must change in the same transaction as the projections. */
import { START_OFFSET } from '#lib/shared/offsets.ts';
import { firstValue, run } from './statements';
import type { Db } from './types';

export type MetaKey = 'applied_offset' | 'snapshot_start' | 'projection_version';

export function readMeta(db: Db, key: MetaKey): string | undefined {
	const value = firstValue(db, 'SELECT value FROM replica_meta WHERE key = ?', [key]);
	return value === undefined ? undefined : String(value);
}

export function writeMeta(db: Db, key: MetaKey, value: string | undefined): void {
	if (value === undefined) run(db, 'DELETE FROM replica_meta WHERE key = ?', [key]);
	else {
		run(
			db,
			'INSERT INTO replica_meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
			[key, value]
		);
	}
}

/** The offset of the last event this replica applied (or passed over as quarantined); `-1` before the first. */
export function appliedOffset(db: Db): string {
	return readMeta(db, 'applied_offset') ?? START_OFFSET;
}
