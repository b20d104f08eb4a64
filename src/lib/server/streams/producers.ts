/**
 * Idempotent producers (protocol §5.2.1): Producer-Id / Producer-Epoch / Producer-Seq make a retried append
 * harmless. The verdict is a pure function of the stored state, so the append path can judge, append and save the
 * new state in one SQLite transaction: a crash cannot separate the data from the state that deduplicates it.
 */
import type { ProducerState } from '../log/store.ts';
import {
	HttpError,
	PRODUCER_EPOCH,
	PRODUCER_EXPECTED_SEQ,
	PRODUCER_ID,
	PRODUCER_RECEIVED_SEQ,
	PRODUCER_SEQ
} from './http.ts';

export interface ProducerClaim {
	id: string;
	epoch: number;
	seq: number;
}

export type ProducerVerdict =
	| { kind: 'accept' }
	| { kind: 'duplicate'; lastSeq: number }
	| { kind: 'stale-epoch'; currentEpoch: number }
	| { kind: 'new-epoch-not-at-zero' }
	| { kind: 'gap'; expected: number; received: number };

/** The producer headers, all three or none; anything else is a 400 naming the header. */
export function parseProducerClaim(headers: Headers): ProducerClaim | undefined {
	const id = headers.get(PRODUCER_ID);
	const epoch = headers.get(PRODUCER_EPOCH);
	const seq = headers.get(PRODUCER_SEQ);
	if (id === null && epoch === null && seq === null) return undefined;
	if (id === null || epoch === null || seq === null) {
		throw new HttpError(400, `${PRODUCER_ID}, ${PRODUCER_EPOCH} and ${PRODUCER_SEQ}: send all three or none`);
	}
	if (id === '') throw new HttpError(400, `${PRODUCER_ID}: must not be empty`);
	return { id, epoch: parseCounter(PRODUCER_EPOCH, epoch), seq: parseCounter(PRODUCER_SEQ, seq) };
}

function parseCounter(header: string, value: string): number {
	const number = Number(value);
	if (!/^\d+$/.test(value) || !Number.isSafeInteger(number)) {
		throw new HttpError(400, `${header}: "${value}" is not an integer between 0 and 2^53-1`);
	}
	return number;
}

export function judgeProducer(state: ProducerState | undefined, claim: ProducerClaim): ProducerVerdict {
	if (state === undefined) {
		return claim.seq === 0 ? { kind: 'accept' } : { kind: 'gap', expected: 0, received: claim.seq };
	}
	if (claim.epoch < state.epoch) return { kind: 'stale-epoch', currentEpoch: state.epoch };
	if (claim.epoch > state.epoch) return claim.seq === 0 ? { kind: 'accept' } : { kind: 'new-epoch-not-at-zero' };
	if (claim.seq <= state.lastSeq) return { kind: 'duplicate', lastSeq: state.lastSeq };
	if (claim.seq === state.lastSeq + 1) return { kind: 'accept' };
	return { kind: 'gap', expected: state.lastSeq + 1, received: claim.seq };
}

/** The error response for a verdict that refuses the append. */
export function producerRejection(verdict: ProducerVerdict): HttpError | undefined {
	switch (verdict.kind) {
		case 'stale-epoch':
			return new HttpError(
				403,
				`${PRODUCER_EPOCH}: stale, the current epoch is ${verdict.currentEpoch}: this producer was fenced`,
				{
					[PRODUCER_EPOCH]: String(verdict.currentEpoch)
				}
			);
		case 'new-epoch-not-at-zero':
			return new HttpError(400, `${PRODUCER_SEQ}: a new epoch must start at 0`);
		case 'gap':
			return new HttpError(
				409,
				`${PRODUCER_SEQ}: expected ${verdict.expected}, received ${verdict.received}: resend the missing batches`,
				{
					[PRODUCER_EXPECTED_SEQ]: String(verdict.expected),
					[PRODUCER_RECEIVED_SEQ]: String(verdict.received)
				}
			);
		default:
			return undefined;
	}
}
