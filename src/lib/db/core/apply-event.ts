/**
 * Applies one event that passed the offset filter: validate, then control handling, the txid rule, and the write.
 * Everything here runs inside the caller's transaction.
 */
import { isControlEvent, type ChangeEvent } from '#lib/shared/events.ts';
import { formatOffset } from '#lib/shared/offsets.ts';
import type { ApplyContext } from './apply-context';
import { applyControl } from './control-events';
import { writeChange } from './entity-writes';
import { run } from './statements';
import { validateEvent } from './validate-event';

/** `count` is the offset's message count (parseOffset(offset)); `eventJson` is the event as stored in raw_events. */
export function applyEvent(ctx: ApplyContext, offset: string, count: number, event: unknown, eventJson: string): void {
	const validated = validateEvent(event);
	if (!validated.ok) return quarantine(ctx, offset, validated.reason, eventJson);
	const valid = validated.event;
	if (isControlEvent(valid)) {
		const refused = applyControl(ctx, offset, valid);
		if (refused) return quarantine(ctx, offset, refused, eventJson);
		ctx.result.applied++;
		return;
	}
	// Snapshot rows describe state, not commands: the txid rule does not apply to them.
	const staged = ctx.snapshotStart !== undefined;
	if (!staged && !claimTxid(ctx, valid, offset, count)) {
		ctx.result.skipped++;
		return;
	}
	for (const table of writeChange(ctx.db, valid, count, staged ? 'staged' : 'live')) {
		ctx.result.changedTables.add(table);
	}
	ctx.result.applied++;
}

/**
 * The txid rule. The server appends all events of one command in one transaction, so they sit at consecutive
 * offsets; applied_txids records, per txid, the offset of the last event of that run. An event is applied when
 * its txid is new, or when it directly follows the recorded last offset (the run continues: the record moves on).
 * Any other event with a known txid is a re-delivery of an applied command under new offsets: it is skipped, and
 * the record stays where it was, so a re-delivered run of several events is skipped whole.
 */
function claimTxid(ctx: ApplyContext, event: ChangeEvent, offset: string, count: number): boolean {
	const txid = event.headers.txid;
	if (txid === undefined) return true;
	ctx.result.changedTables.add('applied_txids');
	const claimed = run(
		ctx.db,
		`INSERT INTO applied_txids(txid, last_offset) VALUES (?, ?)
		 ON CONFLICT(txid) DO UPDATE SET last_offset = excluded.last_offset WHERE last_offset = ?`,
		[txid, offset, formatOffset(count - 1)]
	);
	return claimed > 0;
}

function quarantine(ctx: ApplyContext, offset: string, reason: string, eventJson: string): void {
	// OR IGNORE: a rebuild meets the same bad event again and keeps the first report (and its time).
	run(ctx.db, 'INSERT OR IGNORE INTO quarantine("offset", reason, event_json, at) VALUES (?, ?, ?, ?)', [
		offset,
		reason,
		eventJson,
		new Date().toISOString()
	]);
	ctx.result.quarantined++;
	ctx.result.changedTables.add('quarantine');
}
