import { describe, expect, it } from 'vitest';
import type { InboxRecord, InboxRecordOfObjects } from '#lib/shared/idb.ts';
import { formatOffset } from '#lib/shared/offsets.ts';
import { entriesOf, takeOffered } from './inbox-drain';

const eventsOf = (start: number, end: number) => Array.from({ length: end - start }, (_, i) => ({ n: start + i + 1 }));

const record = (start: number, end: number): InboxRecord => ({
	start: formatOffset(start),
	offset: formatOffset(end),
	eventsJson: JSON.stringify(eventsOf(start, end))
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

describe('entriesOf', () => {
	it('gives each event of a record its own offset, from the JSON text the service worker stored', () => {
		expect(entriesOf(record(4, 6))).toEqual([
			{ offset: formatOffset(5), event: { n: 5 } },
			{ offset: formatOffset(6), event: { n: 6 } }
		]);
	});

	it('reads records of objects that earlier versions stored the same way', () => {
		const ofObjects: InboxRecordOfObjects = {
			start: formatOffset(4),
			offset: formatOffset(6),
			events: eventsOf(4, 6)
		};
		expect(entriesOf(ofObjects)).toEqual(entriesOf(record(4, 6)));
	});

	it('names the record and the field when a record cannot be read', () => {
		const at = formatOffset(6);
		expect(() => entriesOf({ ...record(4, 6), eventsJson: '[{"n":5},' })).toThrow(
			new RegExp(`inbox record ${at}: eventsJson is not JSON`)
		);
		expect(() => entriesOf({ ...record(4, 6), eventsJson: '{"n":5}' })).toThrow(
			`inbox record ${at}: its events are not an array`
		);
		expect(() => entriesOf({ ...record(4, 6), start: 'x' })).toThrow(`inbox record ${at}: start "x" is not an offset`);
	});
});
