/**
 * Replay equivalence: the same stream, delivered in any batching, with duplicates, replayed ranges and gaps that
 * the ingest then re-fetches, with search indexing deferred by any batches and caught up in chunks of any size,
 * yields byte-identical projections (the search index included) to one batch, and so does a rebuild.
 */
import fc from 'fast-check';
import { afterAll, expect, test } from 'vitest';
import { parseOffset } from '#lib/shared/offsets.ts';
import { applyBatch, closeCore, indexSearchBacklog, rebuildProjections } from './index';
import { scriptToEvents, type ChatAction } from './chat-script';
import { dumpProjections, entriesFrom, openMemoryDb } from './testing';
import type { Db, InboxEntry } from './types';

const small = fc.nat({ max: 3 });
const text = fc.oneof(fc.constantFrom('hello world', 'hello there', 'brave new world', 'ünïcödé wörds'), fc.string());
const action: fc.Arbitrary<ChatAction> = fc.oneof(
	{
		weight: 3,
		arbitrary: fc.record({ kind: fc.constant('user' as const), user: small, name: fc.constantFrom('Ann', 'Bob', 'Cy') })
	},
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('space' as const), space: small, user: small }) },
	{ weight: 8, arbitrary: fc.record({ kind: fc.constant('send' as const), channel: small, user: small, body: text }) },
	{
		weight: 3,
		arbitrary: fc.record({
			kind: fc.constantFrom('edit' as const, 'delete' as const, 'redeliver' as const),
			pick: fc.nat(),
			body: text
		})
	},
	{
		weight: 4,
		arbitrary: fc.record({
			kind: fc.constantFrom('react' as const, 'unreact' as const),
			pick: fc.nat(),
			user: small,
			emoji: fc.constantFrom('👍', '🎉', ':)')
		})
	},
	{ weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('leave' as const, 'drop-user' as const), user: small }) },
	{
		weight: 1,
		arbitrary: fc.record({ kind: fc.constantFrom('malformed' as const, 'snapshot' as const, 'reset' as const) })
	}
);

/** One delivery of the simulated ingest: where it starts relative to the applied offset, and what it adds. */
const delivery = fc.record({
	back: fc.nat({ max: 4 }),
	length: fc.integer({ min: 1, max: 9 }),
	duplicates: fc.array(fc.nat(), { maxLength: 3 }),
	skipAhead: fc.boolean(),
	reversed: fc.boolean(),
	indexSearch: fc.boolean(),
	/** Rows of the deferred backlog indexed after this delivery (0: none). */
	indexChunk: fc.nat({ max: 3 })
});
type Delivery = typeof delivery extends fc.Arbitrary<infer T> ? T : never;

const opened: Db[] = [];
afterAll(() => opened.forEach((db) => (closeCore(db), db.close())));
/** Empties a database reused across runs (opening one per run would dominate the test's time). */
function empty(db: Db) {
	db.exec('DELETE FROM raw_events; DELETE FROM replica_meta; DELETE FROM quarantine; DELETE FROM timeline_items');
	rebuildProjections(db);
}
async function fresh() {
	const db = await openMemoryDb();
	opened.push(db);
	return db;
}

/** Delivers all entries the way a flaky ingest would; after a gap it re-fetches from the applied offset. */
function deliverFlakily(db: Db, entries: InboxEntry[], plan: Delivery[]): void {
	let applied = 0;
	let lastWasGap = false;
	for (let round = 0; applied < entries.length; round++) {
		const step = plan[round % plan.length];
		const ahead = step.skipAhead && !lastWasGap && applied + 2 <= entries.length;
		const start = ahead ? applied + 2 : Math.max(1, applied + 1 - step.back);
		const end = Math.min(entries.length, Math.max(start + step.length - 1, applied + 1));
		const batch = entries.slice(start - 1, end);
		for (const d of step.duplicates) if (applied > 0) batch.push(entries[d % applied]);
		if (step.reversed) batch.reverse();
		const result = applyBatch(db, batch, { indexSearch: step.indexSearch });
		if (step.indexChunk > 0) indexSearchBacklog(db, step.indexChunk);
		lastWasGap = result.gap !== undefined;
		expect(lastWasGap).toBe(ahead);
		applied = parseOffset(result.appliedOffset) as number;
	}
	while (indexSearchBacklog(db, 4));
}

test('any batching, duplicates and re-deliveries give byte-identical projections; so does a rebuild', async () => {
	const [reference, flaky] = [await fresh(), await fresh()];
	await fc.assert(
		fc.asyncProperty(
			fc.array(action, { minLength: 1, maxLength: 60 }),
			fc.array(delivery, { minLength: 1, maxLength: 8 }),
			async (script, plan) => {
				[reference, flaky].forEach(empty);
				const entries = entriesFrom(0, scriptToEvents(script));
				applyBatch(reference, entries);
				deliverFlakily(flaky, entries, plan);
				const expected = dumpProjections(reference);
				expect(dumpProjections(flaky)).toBe(expected);
				rebuildProjections(flaky);
				expect(dumpProjections(flaky)).toBe(expected);
			}
		),
		{ numRuns: 150 }
	);
});
