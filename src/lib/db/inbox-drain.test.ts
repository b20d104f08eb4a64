import { describe, expect, it } from 'vitest';
import type { InboxRecord } from '#lib/shared/idb.ts';
import { formatOffset } from '#lib/shared/offsets.ts';
import { takeOffered } from './inbox-drain';

const record = (start: number, end: number): InboxRecord => ({
	start: formatOffset(start),
	offset: formatOffset(end),
	events: Array.from({ length: end - start }, (_, i) => ({ n: start + i + 1 }))
});

const offeredOf = (...records: InboxRecord[]) => new Map(records.map((r) => [r.offset, r]));

describe('takeOffered', () => {
	it('takes the records that continue exactly from the applied offset, in order', () => {
		const offered = offeredOf(record(12, 13), record(10, 11), record(11, 12));
		expect(takeOffered(offered, formatOffset(10))).toEqual([record(10, 11), record(11, 12), record(12, 13)]);
		expect(offered.size).toBe(0);
	});

	it('leaves the inbox to fill a gap, and keeps what comes after it', () => {
		const offered = offeredOf(record(11, 12), record(12, 13));
		expect(takeOffered(offered, formatOffset(10))).toBeUndefined();
		expect([...offered.keys()]).toEqual([formatOffset(12), formatOffset(13)]);
	});

	it('forgets records already applied, and does not take one that starts before the applied offset', () => {
		const offered = offeredOf(record(8, 10), record(9, 12));
		expect(takeOffered(offered, formatOffset(10))).toBeUndefined();
		expect([...offered.keys()]).toEqual([formatOffset(12)]);
	});
});
