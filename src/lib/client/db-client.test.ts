import { describe, expect, it } from 'vitest';
import type { DbReply, DbRequest } from '#lib/shared/db-protocol.ts';
import { DbClient, LeaderChangedError, type LeaderPort } from './db-client';

/** A leader that records what it was sent and answers only when told to. */
function fakeLeader() {
	const received: DbRequest[] = [];
	const port: LeaderPort = { onmessage: null, postMessage: (data) => received.push(data as DbRequest), close() {} };
	const answer = (reply: DbReply) => port.onmessage?.({ data: reply } as MessageEvent);
	return { port, received, answer };
}

describe('DbClient failover rule', () => {
	it('re-sends unanswered reads to the next leader under its epoch', async () => {
		const client = new DbClient();
		const first = fakeLeader();
		client.connect(first.port, 1);
		const rows = client.call<unknown[]>({ kind: 'query', sql: 'SELECT 1', params: [] });
		expect(first.received).toMatchObject([{ kind: 'query', epoch: 1 }]);

		const second = fakeLeader();
		client.connect(second.port, 2);
		expect(second.received).toMatchObject([{ kind: 'query', epoch: 2, sql: 'SELECT 1' }]);
		second.answer({
			ns: 'replica-db',
			kind: 'result',
			id: (second.received[0] as { id: number }).id,
			value: [{ one: 1 }]
		});
		await expect(rows).resolves.toEqual([{ one: 1 }]);
	});

	it('fails a write that the old leader received but never answered: its outcome is unknown', async () => {
		const client = new DbClient();
		const first = fakeLeader();
		client.connect(first.port, 1);
		const write = client.call({ kind: 'mark-read', channelId: 'general', position: 7 });

		client.connect(fakeLeader().port, 2);
		await expect(write).rejects.toBeInstanceOf(LeaderChangedError);
		await expect(write).rejects.toThrow(/may or may not have been applied/);
	});

	it('sends a write made while no leader existed to the first leader: it provably never ran', async () => {
		const client = new DbClient();
		const write = client.call<null>({ kind: 'mark-read', channelId: 'general', position: 3 });
		const leader = fakeLeader();
		client.connect(leader.port, 5);
		expect(leader.received).toMatchObject([{ kind: 'mark-read', epoch: 5, position: 3 }]);
		leader.answer({ ns: 'replica-db', kind: 'result', id: (leader.received[0] as { id: number }).id, value: null });
		await expect(write).resolves.toBeNull();
	});

	it('re-subscribes live queries on the new leader and delivers its rows', () => {
		const client = new DbClient();
		const seen: unknown[] = [];
		client.subscribe({ sql: 'SELECT * FROM channels', params: [], onRows: (rows) => seen.push(rows), onError() {} });
		const leader = fakeLeader();
		client.connect(leader.port, 9);
		const subscribe = leader.received[0] as Extract<DbRequest, { kind: 'subscribe' }>;
		expect(subscribe).toMatchObject({ kind: 'subscribe', epoch: 9 });
		leader.answer({ ns: 'replica-db', kind: 'rows', subId: subscribe.subId, rows: [{ id: 'general' }] });
		expect(seen).toEqual([[{ id: 'general' }]]);
	});
});
