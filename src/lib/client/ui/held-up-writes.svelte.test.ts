import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushSync } from 'svelte';
import type { OutboxRecord } from '#lib/shared/idb.ts';
import { HELD_UP_AFTER_MS, HeldUpWrites, heldUpCount } from './held-up-writes.svelte';

const T0 = Date.parse('2026-12-08T10:00:00Z');

function entry(createdAt: number, state: OutboxRecord['state'] = 'queued'): OutboxRecord {
	const id = `c-${createdAt}-${state}`;
	return {
		id,
		command: { id, name: 'send_message', args: { messageId: id, channelId: 'general', body: 'hi' } },
		authorId: 'u-1',
		createdAt: new Date(createdAt).toISOString(),
		state,
		attempts: 0,
		nextAttemptAt: 0
	};
}

describe('heldUpCount', () => {
	it('counts every waiting write once the oldest has waited long enough, and none before', () => {
		const entries = [entry(T0), entry(T0 + 800, 'accepted')];
		expect(heldUpCount(entries, T0 + HELD_UP_AFTER_MS - 1)).toBe(0);
		expect(heldUpCount(entries, T0 + HELD_UP_AFTER_MS)).toBe(2);
		expect(heldUpCount([], T0 + 60_000)).toBe(0);
	});

	it('leaves out rejected writes, which have a notice of their own', () => {
		expect(heldUpCount([entry(T0 - 60_000, 'rejected'), entry(T0)], T0 + 10)).toBe(0);
		expect(heldUpCount([entry(T0 - 60_000, 'rejected')], T0)).toBe(0);
	});
});

describe('HeldUpWrites', () => {
	beforeEach(() => vi.useFakeTimers({ now: T0 }));
	afterEach(() => vi.useRealTimers());

	it('shows a write that the server has not confirmed within the delay, and only then', () => {
		let entries = $state<OutboxRecord[]>([]);
		const heldUp = new HeldUpWrites(() => entries);
		const stop = $effect.root(() => {
			$effect(() => heldUp.watch());
		});
		try {
			entries = [entry(T0)];
			flushSync();
			vi.advanceTimersByTime(HELD_UP_AFTER_MS - 1);
			expect(heldUp.count).toBe(0);
			vi.advanceTimersByTime(1);
			expect(heldUp.count).toBe(1);

			// Confirmed: gone at once. A new write confirmed within the delay never shows.
			entries = [];
			expect(heldUp.count).toBe(0);
			entries = [entry(Date.now())];
			flushSync();
			vi.advanceTimersByTime(HELD_UP_AFTER_MS / 2);
			entries = [];
			flushSync();
			vi.advanceTimersByTime(HELD_UP_AFTER_MS);
			expect(heldUp.count).toBe(0);
		} finally {
			stop();
		}
	});

	it('shows at once what was already waiting when the page opened', () => {
		const heldUp = new HeldUpWrites(() => [entry(T0 - 5_000)]);
		expect(heldUp.count).toBe(1);
	});
});
