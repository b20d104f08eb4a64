/** State carried through one apply transaction (a batch, or a rebuild's replay of the raw event log). */
import { readMeta } from './meta';
import type { ApplyResult, Db } from './types';

export interface ApplyContext {
	db: Db;
	/** True while rebuildProjections replays raw_events: the raw log and the applied offset are left alone. */
	replaying: boolean;
	/** Offset of the open snapshot's snapshot-start; undefined when no snapshot is open. Mirrors replica_meta. */
	snapshotStart: string | undefined;
	/** Set by a reset carrying headers.offset: the applied offset jumps there after the reset. */
	resumeFrom: string | undefined;
	result: Omit<ApplyResult, 'appliedOffset' | 'gap'>;
}

export function openContext(db: Db, replaying: boolean): ApplyContext {
	return {
		db,
		replaying,
		snapshotStart: readMeta(db, 'snapshot_start'),
		resumeFrom: undefined,
		result: { applied: 0, skipped: 0, quarantined: 0, changedTables: new Set() }
	};
}
