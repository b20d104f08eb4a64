/**
 * Control events. A snapshot (snapshot-start … snapshot-end) may span many batches, and readers must never see
 * half of it: between start and end, change events go to the snapshot_* staging tables (no triggers, no read
 * models); snapshot-end wipes the live projections and copies the staged rows in, in that batch's transaction,
 * so the triggers derive the read models and readers see the old state or the new one, never a mix.
 *
 * The raw event log is compacted at the same moments: after a reset or a completed snapshot, the events before it
 * no longer contribute to state, so rebuildProjections does not need them.
 */
import type { ControlEvent } from '#lib/shared/events.ts';
import { parseOffset } from '#lib/shared/offsets.ts';
import { ENTITY_TABLE_LIST, STAGING_PREFIX } from './entity-tables';
import { writeMeta } from './meta';
import { run } from './statements';
import { clearStaging, WIPED_TABLES, wipeProjections } from './wipe';
import type { ApplyContext } from './apply-context';

/** Returns a quarantine reason when the control event cannot be applied, else undefined. */
export function applyControl(ctx: ApplyContext, offset: string, event: ControlEvent): string | undefined {
	const { control } = event.headers;
	if (control === 'reset') return reset(ctx, offset, event.headers.offset);
	if (control === 'snapshot-start') {
		// A new start abandons an unfinished snapshot: the server is sending a complete one again.
		clearStaging(ctx.db);
		ctx.snapshotStart = offset;
		writeMeta(ctx.db, 'snapshot_start', offset);
		return undefined;
	}
	if (ctx.snapshotStart === undefined) return 'headers.control: snapshot-end without a snapshot-start before it';
	swapInSnapshot(ctx);
	compactRawEvents(ctx, ctx.snapshotStart);
	ctx.snapshotStart = undefined;
	writeMeta(ctx.db, 'snapshot_start', undefined);
	return undefined;
}

/**
 * Clears state and txids (the server may legitimately send old commands' events again after a reset). The applied
 * offset becomes `headers.offset` when given, so the ingest resumes from there; an offset before the reset itself
 * would make the replica read the reset again, forever, so it is refused.
 */
function reset(ctx: ApplyContext, offset: string, resumeFrom: string | undefined): string | undefined {
	if (resumeFrom !== undefined && (parseOffset(resumeFrom) as number) < (parseOffset(offset) as number)) {
		return `headers.offset: "${resumeFrom}" is before the reset's own offset "${offset}"; a reset cannot rewind`;
	}
	wipeProjections(ctx.db);
	clearStaging(ctx.db);
	ctx.db.exec('DELETE FROM applied_txids');
	ctx.snapshotStart = undefined;
	writeMeta(ctx.db, 'snapshot_start', undefined);
	compactRawEvents(ctx, offset);
	ctx.resumeFrom = resumeFrom;
	for (const table of [...WIPED_TABLES, 'applied_txids']) ctx.result.changedTables.add(table);
	return undefined;
}

function swapInSnapshot(ctx: ApplyContext): void {
	wipeProjections(ctx.db);
	// Entity order matters: users before messages (author names), messages before reactions (counts).
	for (const { table, columns } of ENTITY_TABLE_LIST) {
		const list = columns.join(', ');
		ctx.db.exec(`INSERT INTO ${table}(${list}) SELECT ${list} FROM ${STAGING_PREFIX}${table} ORDER BY rowid`);
	}
	clearStaging(ctx.db);
	for (const table of WIPED_TABLES) ctx.result.changedTables.add(table);
}

function compactRawEvents(ctx: ApplyContext, before: string): void {
	if (ctx.replaying) return;
	run(ctx.db, 'DELETE FROM raw_events WHERE position < ?', [parseOffset(before) as number]);
}
