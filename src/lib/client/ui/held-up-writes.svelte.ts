/**
 * The status bar's "N pending": the writes the server has not confirmed yet, shown once the oldest of them has
 * waited HELD_UP_AFTER_MS (offline, a slow or a refusing server). A write the server confirms at once needs no
 * pill, since its own row says "Sending…" meanwhile; a pill shown and hidden again for every message cost each open
 * tab two more frames per message (P3's traces, 2026-12-08).
 */
import type { OutboxRecord } from '#lib/shared/idb.ts';

export const HELD_UP_AFTER_MS = 1000;

/** How many writes wait for the server (a rejected one has a notice of its own), if the oldest is held up; else 0. */
export function heldUpCount(entries: readonly OutboxRecord[], now: number): number {
	const waiting = entries.filter((entry) => entry.state !== 'rejected');
	return now - oldestCreatedAt(waiting) >= HELD_UP_AFTER_MS ? waiting.length : 0;
}

function oldestCreatedAt(entries: readonly OutboxRecord[]): number {
	return Math.min(...entries.map((entry) => Date.parse(entry.createdAt)));
}

export class HeldUpWrites {
	/** The clock `count` reads: moved on when a waiting write comes of age (watch), not on every tick. */
	#now = $state(Date.now());

	constructor(private readonly entries: () => readonly OutboxRecord[]) {}

	get count(): number {
		return heldUpCount(this.entries(), this.#now);
	}

	/** Wakes `count` when the oldest waiting write is held up; call in an $effect, which re-runs it on news. */
	watch(): (() => void) | undefined {
		const waiting = this.entries().filter((entry) => entry.state !== 'rejected');
		if (waiting.length === 0) return;
		const dueIn = oldestCreatedAt(waiting) + HELD_UP_AFTER_MS - Date.now();
		if (dueIn <= 0) return void (this.#now = Date.now());
		const timer = setTimeout(() => (this.#now = Date.now()), dueIn);
		return () => clearTimeout(timer);
	}
}
