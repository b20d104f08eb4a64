/**
 * Versioned schema steps. PRAGMA user_version holds the number of steps applied; each step runs in its own
 * transaction together with the version bump, so a crash mid-upgrade resumes at the failed step.
 * PROJECTION_VERSION is separate: it names the projection logic (triggers, row mapping), and when the stored one
 * differs, the projections are rebuilt from raw_events, offline.
 */
import { readMeta } from './meta';
import { rebuildProjections, PROJECTION_VERSION, type RebuildProgress } from './rebuild';
import { SCHEMA_V1 } from './schema-v1';
import { SCHEMA_V2 } from './schema-v2';
import { SCHEMA_V3 } from './schema-v3';
import { SCHEMA_V4 } from './schema-v4';
import type { Db } from './types';

/** Step i brings the schema from version i to i + 1. Shipped steps are never edited, only appended to. */
const STEPS: readonly string[] = [SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4];

export const SCHEMA_VERSION = STEPS.length;

export function schemaVersion(db: Db): number {
	return Number(db.selectValue('PRAGMA user_version'));
}

/**
 * Upgrades to `target` (the latest unless a test asks for an older version). A newer database is refused. A
 * rebuild reports its progress to `onRebuildProgress`, for the UI.
 */
export function migrate(db: Db, target: number = SCHEMA_VERSION, onRebuildProgress?: RebuildProgress): void {
	const from = schemaVersion(db);
	if (from > SCHEMA_VERSION) {
		throw new Error(
			`user_version: database is at schema ${from}, this build knows up to ${SCHEMA_VERSION}; update the app`
		);
	}
	for (let version = from; version < target; version++) {
		db.transaction('IMMEDIATE', () => {
			db.exec(STEPS[version]);
			db.exec(`PRAGMA user_version = ${version + 1}`);
		});
	}
	if (target === SCHEMA_VERSION && readMeta(db, 'projection_version') !== String(PROJECTION_VERSION)) {
		rebuildProjections(db, onRebuildProgress);
	}
}
