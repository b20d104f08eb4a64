/**
 * A sliding keyset window over one channel's timeline, so that a channel of 100k messages costs the page and
 * the live-query engine no more than MAX_WINDOW rows. The window is "the `limit` newest rows with position below
 * `before`" (before = null: the live tail, where new messages arrive). Scrolling up first grows the limit, then
 * slides the window older; scrolling back down slides it newer until it reaches the live tail again. Each move
 * makes a new query; the previous rows stay on screen until it answers (SteadyQuery).
 */
import type { Replica } from '#lib/client/replica.svelte.ts';
import { readFirstScreen } from './first-screen';
import { SteadyQuery } from './steady-query.svelte';

export const PAGE_SIZE = 100;
export const MAX_WINDOW = 300;
/** Above every position, pending ones (from 2^52) included. */
const ABOVE_ALL = Number.MAX_SAFE_INTEGER;

export type TimelineRow = {
	position: number;
	message_id: string;
	author_id: string;
	author_name: string | null;
	body: string;
	created_at: string;
	edited: number;
	pending: number;
	/** JSON object emoji → count. */
	reactions: string;
	/** JSON array of the emoji the current user reacted with. */
	mine: string;
};

// One indexed range scan on timeline_by_channel; the author's name (timeline_rows) and `mine` are primary-key
// lookups per row of the window.
const WINDOW_SQL = `
SELECT t.position, t.message_id, t.author_id, t.author_name, t.body, t.created_at, t.edited, t.pending, t.reactions,
  (SELECT json_group_array(r.emoji) FROM reactions r WHERE r.message_id = t.message_id AND r.user_id = ?) AS mine
FROM timeline_rows t WHERE t.channel_id = ? AND t.position < ? ORDER BY t.position DESC LIMIT ?`;

const NEWER_BOUND_SQL = `
SELECT position FROM timeline_items WHERE channel_id = ? AND position > ? ORDER BY position LIMIT 1 OFFSET ?`;

export class TimelineWindow {
	#before = $state<number | null>(null);
	#limit = $state(PAGE_SIZE);
	#query: SteadyQuery<TimelineRow>;

	constructor(
		private readonly replica: Replica,
		readonly channelId: string,
		userId: () => string | null
	) {
		this.#query = new SteadyQuery<TimelineRow>(
			replica,
			WINDOW_SQL,
			() => [userId(), channelId, this.#before ?? ABOVE_ALL, this.#limit],
			// The query's order is newest first.
			readFirstScreen<TimelineRow>(channelId)?.toReversed()
		);
		this.rows = $derived([...this.#query.rows].reverse());
	}

	/** Oldest first. */
	readonly rows: TimelineRow[];

	get loading() {
		return this.#query.loading;
	}

	get error() {
		return this.#query.error;
	}

	/** A moved window has not answered yet: further moves wait, so they start from rows on screen. */
	get moving() {
		return this.#query.settling;
	}

	get hasOlder() {
		return this.rows.length >= this.#limit;
	}

	get atLiveTail() {
		return this.#before === null;
	}

	loadOlder() {
		if (this.moving || !this.hasOlder) return;
		if (this.#limit < MAX_WINDOW) {
			this.#limit += PAGE_SIZE;
			return;
		}
		// Drop the PAGE_SIZE newest rows; the query fills the window from below.
		this.#before = this.rows[this.rows.length - PAGE_SIZE].position;
	}

	async loadNewer() {
		if (this.moving || this.atLiveTail) return;
		const newest = this.rows.at(-1)?.position ?? 0;
		const before = await this.#boundAfter(newest, PAGE_SIZE);
		// Growing the limit keeps the rows on screen in the window, so the scroll position has an anchor.
		this.#limit = Math.min(MAX_WINDOW, this.#limit + PAGE_SIZE);
		this.#before = before;
	}

	/** Centres the window on `position` (a message found by search). */
	async showPosition(position: number) {
		const before = await this.#boundAfter(position, PAGE_SIZE / 2);
		this.#limit = PAGE_SIZE;
		this.#before = before;
	}

	backToLiveTail() {
		this.#limit = PAGE_SIZE;
		this.#before = null;
	}

	/** The position `count + 1` rows after `position`, or null when the live tail is that close. */
	async #boundAfter(position: number, count: number): Promise<number | null> {
		const [row] = await this.replica.query(NEWER_BOUND_SQL, [this.channelId, position, count]);
		return row ? Number(row.position) : null;
	}
}
