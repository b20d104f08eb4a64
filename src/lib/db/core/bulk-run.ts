/**
 * applyBatch's fast path: a run of plain upserts is written with a few set-based statements instead of three per
 * event. Calling into sqlite-wasm costs ~2–3 µs per statement and ~3 µs more per bound string (measured in Node),
 * more than most of the writes they feed, so a run crosses the boundary as one JSON array.
 *
 * A run is a stretch of entries at consecutive offsets, starting at the applied offset's successor, of valid change
 * events that insert or update, while no snapshot is open, whose txids are new to the replica and each command's
 * events stand together. For exactly those events the per-event rules decide nothing: the offset filter passes
 * them all, the txid rule applies each (and records a command at its last event), and nothing is quarantined. So
 * writing the run in stream order, one statement per stretch of one entity type, leaves the same database as
 * applying it event by event; the replay-equivalence property test checks it against any batching.
 */
import { isControlEvent, type ChangeEvent } from '#lib/shared/events.ts';
import { formatOffset } from '#lib/shared/offsets.ts';
import type { ApplyContext } from './apply-context';
import { ENTITY_TABLES } from './entity-tables';
import { writeUpserts } from './entity-writes';
import { firstValue, run } from './statements';
import { validateEvent } from './validate-event';

/** Shorter runs take the per-event path, which costs the same for them. */
const MIN_RUN = 2;

export interface CountedEntry {
	offset: string;
	event: unknown;
	count: number;
}

interface RunEvent {
	event: ChangeEvent;
	json: string;
}

/** The longest run at `ordered[start]` (whose count is the applied count + 1), or undefined if it is too short. */
export function takeRun(ctx: ApplyContext, ordered: CountedEntry[], start: number): RunEvent[] | undefined {
	if (ctx.snapshotStart !== undefined) return undefined;
	const events: RunEvent[] = [];
	const lastIndexOfTxid = new Map<string, number>();
	for (let i = start; i < ordered.length && ordered[i].count === ordered[start].count + events.length; i++) {
		const json = toJson(ordered[i].event);
		const validated = validateEvent(ordered[i].event);
		if (json === 'null' || !validated.ok || isControlEvent(validated.event)) break;
		const event = validated.event;
		if (event.headers.operation === 'delete') break;
		const txid = event.headers.txid;
		// A txid met again after another event is a re-delivery inside the batch: the per-event rule skips it.
		if (txid !== undefined && (lastIndexOfTxid.get(txid) ?? events.length - 1) !== events.length - 1) break;
		if (txid !== undefined) lastIndexOfTxid.set(txid, events.length);
		events.push({ event, json });
	}
	if (events.length < MIN_RUN) return undefined;
	const fresh = events.slice(0, firstKnownTxid(ctx, events));
	return fresh.length >= MIN_RUN ? fresh : undefined;
}

/** Index of the first event whose txid the replica has recorded already (the per-event rule decides those). */
function firstKnownTxid(ctx: ApplyContext, events: RunEvent[]): number {
	const txids = JSON.stringify(events.map(({ event }) => event.headers.txid ?? null));
	const index = firstValue(ctx.db, 'SELECT min(j.key) FROM json_each(?) j JOIN applied_txids a ON a.txid = j.value', [
		txids
	]);
	return typeof index === 'number' ? index : events.length;
}

/** Writes a run whose first event is at offset count `first`: raw events, txid records, then the upserts. */
export function writeRun(ctx: ApplyContext, events: RunEvent[], first: number): void {
	const { db, result } = ctx;
	// The events' own JSON texts, joined into one array and parsed once: jsonb_each yields each element as the JSONB
	// that jsonb() of its text gives (the per-event path's), since every event of a run is an object.
	run(db, 'INSERT INTO raw_events(position, event) SELECT ?1 + key, value FROM jsonb_each(?2)', [
		first,
		`[${events.map(({ json }) => json).join(',')}]`
	]);
	result.changedTables.add('raw_events');

	const lastOfTxid = new Map<string, string>();
	events.forEach(({ event }, i) => {
		if (event.headers.txid !== undefined) lastOfTxid.set(event.headers.txid, formatOffset(first + i));
	});
	if (lastOfTxid.size > 0) {
		run(db, 'INSERT INTO applied_txids(txid, last_offset) SELECT value ->> 0, value ->> 1 FROM json_each(?)', [
			JSON.stringify([...lastOfTxid])
		]);
		result.changedTables.add('applied_txids');
	}

	// One statement per stretch of one type, in stream order: later events may depend on earlier ones.
	for (let from = 0; from < events.length;) {
		const type = events[from].event.type;
		let to = from;
		while (to + 1 < events.length && events[to + 1].event.type === type) to++;
		writeUpserts(db, type, first + from, first + to, 'live');
		for (const table of ENTITY_TABLES[type].touches) result.changedTables.add(table);
		from = to + 1;
	}
	result.applied += events.length;
}

/** JSON of the event for raw_events and quarantine; what cannot be serialised is kept as null (and quarantined). */
export function toJson(event: unknown): string {
	try {
		return JSON.stringify(event) ?? 'null';
	} catch {
		return 'null';
	}
}
