/**
 * Layout rules of the virtual timeline that need no DOM: which messages are grouped under one header, how tall a
 * row is likely to be before it is measured, and which rows are rendered besides the ones in view.
 */
import { defaultRangeExtractor, type Range, type VirtualItem, type Virtualizer } from '@tanstack/virtual-core';
import { reactionCounts } from './reactions';
import type { TimelineRow } from './timeline-window.svelte';

const GROUP_GAP_MS = 5 * 60_000;

/** Same author shortly after the previous message: the row leaves out the header. */
export function continues(previous: TimelineRow | undefined, row: TimelineRow) {
	if (!previous || previous.author_id !== row.author_id) return false;
	return Date.parse(row.created_at) - Date.parse(previous.created_at) < GROUP_GAP_MS;
}

// In px, exactly as MessageItem's and Reactions' styles lay them out at the root font size (app.css).
const REM = 15;
const LINE = 1.45 * REM;
const CHARACTERS_PER_LINE = 80;
/** The row's padding, top and bottom. */
const PADDING = 2 * 0.15 * REM;
/** The transparent top border of a row that starts a group. */
const GROUP_GAP = 0.6 * REM;
/** The chips' height and their margins. */
const REACTIONS = (0.25 + 1.6 + 0.1) * REM;

/**
 * A row's height before it is rendered: the list places unmeasured rows with it, and corrects the scroll position
 * when the real height differs. Exact for rows whose lines are as guessed (a short message, the common case): then
 * no correction follows, which would cost every open tab another update, layout and scroll for each new message.
 */
export function estimateHeight(row: TimelineRow, continued: boolean) {
	const lines = row.body
		.split('\n')
		.reduce((sum, line) => sum + Math.max(1, Math.ceil(line.length / CHARACTERS_PER_LINE)), 0);
	const header = continued ? 0 : LINE + GROUP_GAP;
	const reactions = reactionCounts(row.reactions).length > 0 ? REACTIONS : 0;
	// Whole px, as the list measures rows (virtual-core rounds the border box).
	return Math.round(PADDING + header + lines * LINE + reactions);
}

/** The rows in view (plus overscan) and the `held` ones, in index order without duplicates. */
export function rangeWithHeld(range: Range, held: readonly number[]): number[] {
	const indexes = defaultRangeExtractor(range);
	const outside = held.filter((index) => index < range.count && !indexes.includes(index));
	return outside.length === 0 ? indexes : [...indexes, ...outside].sort((a, b) => a - b);
}

/**
 * Whether a row's new height moves the scroll position by the difference: yes for every row that starts above the
 * view, whichever way the user scrolls, so the rows being read stay put. The core's default leaves out rows measured
 * again while scrolling up, and one such row is common here: the oldest row of the window, which loses its header
 * when the page above it loads.
 */
export function keepsViewOnResize(item: VirtualItem, _delta: number, list: Virtualizer<HTMLElement, HTMLElement>) {
	return item.start < (list.scrollOffset ?? 0);
}
