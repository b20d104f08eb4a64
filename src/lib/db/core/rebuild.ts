/**
 * Re-derives every projection from raw_events, offline: same validation, txid rule and control handling as live
 * apply, in one transaction. The applied offset does not move (the same events are applied, not new ones).
 *
 * raw_events is compacted at resets and completed snapshots (the first retained event is that control event), so
 * txids recorded before it cannot be replayed: they are kept as they are. A reset clears them live too, and no
 * command's run of events straddles a snapshot-start, so the kept records are exactly what a replay would leave.
 */
import { formatOffset } from '#lib/shared/offsets.ts';
import { openContext } from './apply-context';
import { applyEvent } from './apply-event';
import { writeMeta } from './meta';
import { flushSearchQueue } from './search-queue';
import type { Db } from './types';
import { clearStaging, wipeProjections } from './wipe';

/** Bump whenever triggers or row mapping change what the projections contain: migrate() then rebuilds. */
export const PROJECTION_VERSION = 1;

/** Told how far a rebuild is, every PROGRESS_EVERY events: rebuilding a large replica takes seconds. */
export type RebuildProgress = (done: number, total: number) => void;
const PROGRESS_EVERY = 1000;

export function rebuildProjections(db: Db, onProgress?: RebuildProgress): void {
	db.transaction('IMMEDIATE', () => {
		wipeProjections(db);
		clearStaging(db);
		db.exec(
			`DELETE FROM applied_txids WHERE last_offset >= coalesce((SELECT "offset" FROM raw_events ORDER BY position LIMIT 1), '')`
		);
		writeMeta(db, 'snapshot_start', undefined);
		const ctx = openContext(db, true);
		// Read fully first: a replayed reset or snapshot must not write into a table being iterated.
		const rows = db.selectArrays('SELECT position, json(event) FROM raw_events ORDER BY position');
		(rows as [number, string][]).forEach(([position, eventJson], index) => {
			applyEvent(ctx, formatOffset(position), position, JSON.parse(eventJson), eventJson);
			if (index % PROGRESS_EVERY === 0) onProgress?.(index, rows.length);
		});
		onProgress?.(rows.length, rows.length);
		flushSearchQueue(db);
		writeMeta(db, 'projection_version', String(PROJECTION_VERSION));
	});
}
