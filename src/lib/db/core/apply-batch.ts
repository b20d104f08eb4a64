/**
 * applyBatch: one transaction per batch that writes the projections and advances the applied offset together, so
 * a crash leaves either both or neither. Exactly-once rests on two filters: offsets (<= applied offset is a
 * duplicate; anything but the successor is a gap, never skipped) and txids (claimTxid in apply-event.ts). Runs of
 * plain upserts, for which neither filter decides anything, take the set-based path of bulk-run.ts.
 */
import { nextOffset, parseOffset } from '#lib/shared/offsets.ts';
import { openContext } from './apply-context';
import { applyEvent } from './apply-event';
import { takeRun, toJson, writeRun, type CountedEntry } from './bulk-run';
import { appliedOffset, writeMeta } from './meta';
import { flushSearchQueue } from './search-queue';
import { run } from './statements';
import type { ApplyResult, Db, InboxEntry } from './types';

/** Entries in offset order; a malformed offset is the ingest's bug, so it throws before anything is written. */
function countedInOrder(entries: InboxEntry[]): CountedEntry[] {
	const counted = entries.map((entry, i) => {
		const count = typeof entry?.offset === 'string' ? parseOffset(entry.offset) : undefined;
		if (count === undefined || count === 0) {
			throw new TypeError(`entries[${i}].offset: ${JSON.stringify(entry?.offset)} is not an event's offset`);
		}
		return { offset: entry.offset, event: entry.event, count };
	});
	return counted.sort((a, b) => a.count - b.count);
}

export interface ApplyOptions {
	/**
	 * False for a catch-up's batches: their bodies stay in search_queue for indexSearchBacklog, and the messages show
	 * without waiting for the search index (FTS5 is about a fifth of a new message's cost in Node, and took ~0.9 s of
	 * a 100k catch-up in the browser, measured in pairs). Default true.
	 */
	indexSearch?: boolean;
}

export function applyBatch(db: Db, entries: InboxEntry[], { indexSearch = true }: ApplyOptions = {}): ApplyResult {
	const ordered = countedInOrder(entries);
	return db.transaction('IMMEDIATE', () => {
		const ctx = openContext(db, false);
		const before = appliedOffset(db);
		let applied = before;
		let appliedCount = parseOffset(applied) as number;
		let gap: ApplyResult['gap'];
		for (let i = 0; i < ordered.length; i++) {
			const entry = ordered[i];
			if (entry.count <= appliedCount) {
				ctx.result.skipped++;
				continue;
			}
			if (entry.count !== appliedCount + 1) {
				gap = { expected: nextOffset(applied), got: entry.offset };
				break;
			}
			const bulk = takeRun(ctx, ordered, i);
			if (bulk) {
				writeRun(ctx, bulk, entry.count);
				i += bulk.length - 1;
				applied = ordered[i].offset;
				appliedCount = ordered[i].count;
				continue;
			}
			const eventJson = toJson(entry.event);
			run(db, 'INSERT INTO raw_events(position, event) VALUES (?, jsonb(?))', [entry.count, eventJson]);
			ctx.result.changedTables.add('raw_events');
			const event = eventJson === 'null' ? null : entry.event;
			applyEvent(ctx, entry.offset, entry.count, event, eventJson);
			applied = ctx.resumeFrom ?? entry.offset;
			appliedCount = parseOffset(applied) as number;
			ctx.resumeFrom = undefined;
		}
		if (indexSearch) flushSearchQueue(db);
		if (applied !== before) {
			writeMeta(db, 'applied_offset', applied);
			ctx.result.changedTables.add('replica_meta');
		}
		return { appliedOffset: applied, ...ctx.result, ...(gap && { gap }) };
	});
}
