import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import type { Row } from '#lib/shared/db-protocol.ts';
import { LiveQuery } from './live-query.svelte';
import type { Replica } from './replica.svelte';

/** A replica whose one subscription is answered by hand, as the DB client does after patching a diff. */
function fakeReplica() {
	const calls = { subscribed: 0, unsubscribed: 0, answer: (_rows: Row[]) => {} };
	const replica = {
		subscribe(_sql: string, _params: unknown[], onRows: (rows: Row[]) => void) {
			calls.subscribed++;
			calls.answer = onRows;
			return () => calls.unsubscribed++;
		}
	} as unknown as Replica;
	return { replica, calls };
}

describe('LiveQuery', () => {
	it('keeps the row objects of unchanged rows from one answer to the next, so only new rows re-render', () => {
		const { replica, calls } = fakeReplica();
		const query = new LiveQuery(replica, 'SELECT id FROM t');
		let seen: Row[] = [];
		const stop = $effect.root(() => {
			$effect(() => {
				seen = query.rows;
			});
		});
		flushSync();
		const first = [{ id: 1 }, { id: 2 }];
		calls.answer(first);
		flushSync();
		expect(seen[0]).toBe(first[0]);
		const next = [first[1], { id: 3 }];
		calls.answer(next);
		flushSync();
		expect(seen).toBe(next);
		expect(seen[0]).toBe(first[1]);
		expect(query.loading).toBe(false);
		stop();
		flushSync();
		expect(calls).toMatchObject({ subscribed: 1, unsubscribed: 1 });
	});
});
