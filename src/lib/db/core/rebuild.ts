/**
 * Re-derives every projection from raw_events, offline: same validation, txid rule and control handling as live
 * apply, in one transaction. The applied offset does not move (the same events are applied, not new ones).
 *
 * raw_events is compacted at resets and completed snapshots (the first retained event is that control event), so
 * txids recorded before it cannot be replayed: they are kept as they are. A reset clears them live too, and no
 * command's run of events straddles a snapshot-start, so the kept records are exactly what a replay would leave.
 */
import { formatOffset } from '$lib/shared/offsets';
import { openContext } from './apply-context';
import { applyEvent } from './apply-event';
import { writeMeta } from './meta';
import { flushSearchQueue } from './search-queue';
import type { Db } from './types';
import { clearStaging, wipeProjections } from './wipe';

/** Bump whenever triggers or row mapping change what the projections contain: migrate() then rebuilds. */
export const PROJECTION_VERSION = 1;

export function rebuildProjections(db: Db): void {
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
		for (const [position, eventJson] of rows as [number, string][]) {
			applyEvent(ctx, formatOffset(position), position, JSON.parse(eventJson), eventJson);
		}
		flushSearchQueue(db);
		writeMeta(db, 'projection_version', String(PROJECTION_VERSION));
	});
}
