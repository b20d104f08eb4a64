/**
 * Re-derives every projection from raw_events, offline: same validation, txid rule and control handling as live
 * apply, in one transaction. The applied offset does not move (the same events are applied, not new ones).
 *
 * raw_events is compacted at resets and completed snapshots (the first retained event is that control event), so
 * txids recorded before it cannot be replayed: they are kept as they are. A reset clears them live too, and no
 * command's run of events straddles a snapshot-start, so the kept records are exactly what a replay would leave.
 */
import { parseOffset } from '$lib/shared/offsets';
import { openContext } from './apply-context';
import { applyEvent } from './apply-event';
import { writeMeta } from './meta';
import type { Db } from './types';
import { clearStaging, wipeProjections } from './wipe';

/** Bump whenever triggers or row mapping change what the projections contain: migrate() then rebuilds. */
export const PROJECTION_VERSION = 1;

export function rebuildProjections(db: Db): void {
	db.transaction('IMMEDIATE', () => {
		wipeProjections(db);
		clearStaging(db);
		db.exec(`DELETE FROM applied_txids WHERE last_offset >= coalesce((SELECT min("offset") FROM raw_events), '')`);
		writeMeta(db, 'snapshot_start', undefined);
		const ctx = openContext(db, true);
		// Read fully first: a replayed reset or snapshot must not write into a table being iterated.
		const rows = db.selectArrays('SELECT "offset", event_json FROM raw_events ORDER BY "offset"');
		for (const [offset, eventJson] of rows as [string, string][]) {
			applyEvent(ctx, offset, parseOffset(offset) as number, JSON.parse(eventJson), eventJson);
		}
		writeMeta(db, 'projection_version', String(PROJECTION_VERSION));
	});
}
