import { describe, expect, it } from 'vitest';
import { HttpError } from './http.ts';
import { judgeProducer, parseProducerClaim, producerRejection } from './producers.ts';

const claim = (epoch: number, seq: number) => ({ id: 'p', epoch, seq });

describe('judgeProducer', () => {
	it('accepts a new producer only at seq 0', () => {
		expect(judgeProducer(undefined, claim(3, 0))).toEqual({ kind: 'accept' });
		expect(judgeProducer(undefined, claim(0, 2))).toEqual({ kind: 'gap', expected: 0, received: 2 });
	});

	it('accepts the next seq, answers retries as duplicates with the highest seq, and reports gaps', () => {
		const state = { epoch: 1, lastSeq: 4 };
		expect(judgeProducer(state, claim(1, 5))).toEqual({ kind: 'accept' });
		expect(judgeProducer(state, claim(1, 2))).toEqual({ kind: 'duplicate', lastSeq: 4 });
		expect(judgeProducer(state, claim(1, 7))).toEqual({ kind: 'gap', expected: 5, received: 7 });
	});

	it('fences stale epochs and requires a new epoch to start at 0', () => {
		const state = { epoch: 2, lastSeq: 0 };
		expect(judgeProducer(state, claim(1, 9))).toEqual({ kind: 'stale-epoch', currentEpoch: 2 });
		expect(judgeProducer(state, claim(3, 1))).toEqual({ kind: 'new-epoch-not-at-zero' });
		expect(judgeProducer(state, claim(3, 0))).toEqual({ kind: 'accept' });
	});

	it('maps refusals to the protocol status codes and headers', () => {
		expect(producerRejection({ kind: 'stale-epoch', currentEpoch: 2 })).toMatchObject({
			status: 403,
			headers: { 'Producer-Epoch': '2' }
		});
		expect(producerRejection({ kind: 'gap', expected: 5, received: 7 })).toMatchObject({
			status: 409,
			headers: { 'Producer-Expected-Seq': '5', 'Producer-Received-Seq': '7' }
		});
		expect(producerRejection({ kind: 'accept' })).toBeUndefined();
	});
});

describe('parseProducerClaim', () => {
	it('takes all three headers or none, with strict integers', () => {
		expect(parseProducerClaim(new Headers())).toBeUndefined();
		expect(parseProducerClaim(new Headers({ 'Producer-Id': 'a', 'Producer-Epoch': '0', 'Producer-Seq': '1' }))).toEqual(
			{
				id: 'a',
				epoch: 0,
				seq: 1
			}
		);
		expect(() => parseProducerClaim(new Headers({ 'Producer-Id': 'a' }))).toThrow(HttpError);
		expect(() =>
			parseProducerClaim(new Headers({ 'Producer-Id': 'a', 'Producer-Epoch': '1e3', 'Producer-Seq': '0' }))
		).toThrow(/Producer-Epoch: "1e3"/);
	});
});
