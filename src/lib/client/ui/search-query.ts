/**
 * Full-text search helpers. User input never reaches FTS5's query syntax: every word becomes a quoted phrase and
 * the last one a prefix, so `don't "stop` searches for the words and cannot fail to parse. Snippets come back with
 * HIGHLIGHT_START/END control characters around matches and are split into segments here, so components render
 * text nodes and <mark> elements, never HTML.
 */
export const HIGHLIGHT_START = '\u0002';
export const HIGHLIGHT_END = '\u0003';

/** An FTS5 MATCH expression for what the user typed, or null when there is nothing to search for. */
export function toMatchExpression(input: string): string | null {
	const words = input.match(/[\p{L}\p{N}_]+/gu);
	if (!words) return null;
	return words.map((word, index) => `"${word}"${index === words.length - 1 ? '*' : ''}`).join(' ');
}

export interface Segment {
	text: string;
	highlighted: boolean;
}

export function splitHighlights(snippet: string): Segment[] {
	const segments: Segment[] = [];
	for (const [index, part] of snippet.split(HIGHLIGHT_START).entries()) {
		const [marked, rest] = index === 0 ? [null, part] : splitOnce(part, HIGHLIGHT_END);
		if (marked) segments.push({ text: marked, highlighted: true });
		if (rest) segments.push({ text: rest, highlighted: false });
	}
	return segments;
}

function splitOnce(text: string, separator: string): [string, string] {
	const at = text.indexOf(separator);
	return at === -1 ? [text, ''] : [text.slice(0, at), text.slice(at + separator.length)];
}
