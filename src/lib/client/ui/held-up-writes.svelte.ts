/**
 * The status bar's "N pending": the writes the server has not confirmed yet, shown once the oldest of them has
 * waited HELD_UP_AFTER_MS (offline, a slow or a refusing server). A write the server confirms at once needs no
 * pill, since its own row says "Sending…" meanwhile; a pill shown and hidden again for every message cost each open
 * tab two more frames per message (P3's traces, 2026-12-08).
 */
import type { OutboxRecord } from '#lib/shared/idb.ts';

export const HELD_UP_AFTER_MS = 1000;

/** How many writes wait for the server, if the oldest of them is held up; else 0. */
export function heldUpCount(entries: readonly OutboxRecord[], now: number): number {
	const waiting = waitingFor(entries);
	return now >= heldUpAt(waiting) ? waiting.length : 0;
}

/** A rejected write waits for nothing: it has a notice of its own. */
const waitingFor = (entries: readonly OutboxRecord[]) => entries.filter((entry) => entry.state !== 'rejected');

/** When the oldest of `waiting` is held up (Infinity for none). */
const heldUpAt = (waiting: readonly OutboxRecord[]) =>
	Math.min(...waiting.map((entry) => Date.parse(entry.createdAt))) + HELD_UP_AFTER_MS;

export class HeldUpWrites {
	/** The clock `count` reads: moved on when a waiting write comes of age (watch), not on every tick. */
	#now = $state(Date.now());

	constructor(private readonly entries: () => readonly OutboxRecord[]) {}

	get count(): number {
		return heldUpCount(this.entries(), this.#now);
	}

	/** Wakes `count` when the oldest waiting write is held up; call in an $effect, which re-runs it on news. */
	watch(): (() => void) | undefined {
		const dueIn = heldUpAt(waitingFor(this.entries())) - Date.now();
		if (dueIn === Infinity) return;
		if (dueIn <= 0) return void (this.#now = Date.now());
		const timer = setTimeout(() => (this.#now = Date.now()), dueIn);
		return () => clearTimeout(timer);
	}
}
