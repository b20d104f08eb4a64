import { describe, expect, it } from 'vitest';
import { continues, estimateHeight, rangeWithHeld } from './timeline-layout';
import type { TimelineRow } from './timeline-window.svelte';

const row = (fields: Partial<TimelineRow>): TimelineRow => ({
	position: 1,
	message_id: 'm',
	author_id: 'bea',
	author_name: 'Bea',
	body: 'hello',
	created_at: '2026-11-22T08:00:00.000Z',
	edited: 0,
	pending: 0,
	reactions: '{}',
	mine: '[]',
	...fields
});

describe('continues', () => {
	it('groups the same author within five minutes', () => {
		expect(continues(row({}), row({ created_at: '2026-11-22T08:04:59.000Z' }))).toBe(true);
	});
	it('starts a group for another author, after a pause, or at the top of the window', () => {
		expect(continues(row({ author_id: 'cal' }), row({}))).toBe(false);
		expect(continues(row({}), row({ created_at: '2026-11-22T08:05:00.000Z' }))).toBe(false);
		expect(continues(undefined, row({}))).toBe(false);
	});
});

describe('estimateHeight', () => {
	it('grows with lines, wrapped lines, a header and reactions', () => {
		const one = estimateHeight(row({}), true);
		expect(estimateHeight(row({ body: 'a\nb\nc' }), true)).toBeGreaterThan(one);
		expect(estimateHeight(row({ body: 'x'.repeat(400) }), true)).toBeGreaterThan(one);
		expect(estimateHeight(row({}), false)).toBeGreaterThan(one);
		expect(estimateHeight(row({ reactions: '{"🎉":2}' }), true)).toBeGreaterThan(one);
	});
});

describe('rangeWithHeld', () => {
	const range = { startIndex: 10, endIndex: 12, overscan: 1, count: 100 };
	it('adds held rows outside the range, in index order, once', () => {
		expect(rangeWithHeld(range, [50, 2, 11])).toEqual([2, 9, 10, 11, 12, 13, 50]);
	});
	it('ignores held indexes past the end of the list', () => {
		expect(rangeWithHeld(range, [100])).toEqual([9, 10, 11, 12, 13]);
	});
});
