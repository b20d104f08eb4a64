import { describe, expect, it } from 'vitest';
import { diffRows, keyRows, patchRows } from './row-diff';

const diff = (before: Record<string, unknown>[], after: Record<string, unknown>[]) =>
	diffRows(keyRows(before)!, after, keyRows(after)!);

describe('row diffs', () => {
	const a = { id: 'a', body: 'one' };
	const b = { id: 'b', body: 'two' };
	const c = { id: 'c', body: 'three' };

	it('sends nothing when the result is the same', () => {
		expect(diff([a, b], [{ ...a }, { ...b }])).toBeUndefined();
	});

	it('sends only added and changed rows, and the new order as keys', () => {
		const changed = { id: 'b', body: 'two, edited' };
		const result = diff([a, b], [changed, c]);
		expect(result).toEqual({
			keys: ['b', 'c'],
			upserts: [
				[0, changed],
				[1, c]
			]
		});
		expect(patchRows([a, b], result!)).toEqual([changed, c]);
	});

	it('sends a removal and a reorder as keys alone', () => {
		expect(diff([a, b, c], [c, a])).toEqual({ keys: ['c', 'a'], upserts: [] });
		expect(patchRows([a, b, c], { keys: ['c', 'a'], upserts: [] })).toEqual([c, a]);
	});

	it('refuses to key rows whose first column repeats', () => {
		expect(keyRows([{ n: 1 }, { n: 1 }])).toBeUndefined();
	});
});
