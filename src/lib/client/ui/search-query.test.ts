import { describe, expect, it } from 'vitest';
import { HIGHLIGHT_END as E, HIGHLIGHT_START as S, splitHighlights, toMatchExpression } from './search-query';

describe('toMatchExpression', () => {
	it('quotes every word and makes the last a prefix', () => {
		expect(toMatchExpression('hello wor')).toBe('"hello" "wor"*');
	});
	it('drops FTS5 syntax instead of passing it through', () => {
		expect(toMatchExpression('"x" OR -y NEAR(')).toBe('"x" "OR" "y" "NEAR"*');
	});
	it('has nothing to search for in punctuation alone', () => {
		expect(toMatchExpression(' "-* ')).toBeNull();
	});
});

describe('splitHighlights', () => {
	it('marks the text between the markers', () => {
		expect(splitHighlights(`say ${S}hello${E} to <b>`)).toEqual([
			{ text: 'say ', highlighted: false },
			{ text: 'hello', highlighted: true },
			{ text: ' to <b>', highlighted: false }
		]);
	});
	it('treats an unclosed marker as highlighted to the end', () => {
		expect(splitHighlights(`${S}open`)).toEqual([{ text: 'open', highlighted: true }]);
	});
});
