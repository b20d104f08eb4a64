import { describe, expect, it } from 'vitest';
import { UNRESPONSIVE_AFTER_MS, type CoordinatorToTab } from '#lib/shared/coordinator-protocol.ts';
import { Election } from './election';

function setup() {
	let now = 1_000;
	const election = new Election(() => now);
	const inbox = new Map<string, CoordinatorToTab[]>();
	const tab = (tabId: string, visible = true) => {
		inbox.set(tabId, []);
		election.register(tabId, { post: (message) => inbox.get(tabId)!.push(message) }, visible);
	};
	const kinds = (tabId: string) =>
		inbox.get(tabId)!.map((message) => message.kind + ('steal' in message && message.steal ? '+steal' : ''));
	const ready = (tabId: string) => {
		const broker = new MessageChannel().port1;
		election.leaderReady(tabId, broker);
		return broker;
	};
	return { election, tab, kinds, ready, advance: (ms: number) => (now += ms) };
}

describe('Election', () => {
	it('asks exactly one tab to claim when two register at once; the other queues as standby', () => {
		const { election, tab, kinds, ready } = setup();
		tab('a');
		tab('b');
		expect(kinds('a')).toEqual(['claim']);
		expect(kinds('b')).toEqual(['standby']);
		ready('a');
		expect(kinds('a')).toEqual(['claim', 'leader']);
		expect(kinds('b')).toEqual(['standby', 'leader']);
		expect(election.leaderTabId).toBe('a');
	});

	it('makes the best visible tab the standby, which is claimed when the leader goes; every leader a new epoch', () => {
		const { election, tab, kinds, ready } = setup();
		tab('a');
		tab('hidden', false);
		tab('visible');
		ready('a');
		expect(kinds('visible')).toEqual(['standby', 'leader']);
		expect(kinds('hidden')).toEqual(['standby', 'stand-down', 'leader']);
		election.gone('a');
		expect(kinds('visible').at(-1)).toBe('claim');
		expect(kinds('hidden').at(-1)).toBe('standby');
		ready('visible');
		expect(kinds('hidden').slice(-2)).toEqual(['standby', 'leader']);
	});

	it('prefers a warm standby: a newer tab waits its turn until its DB worker has loaded sqlite-wasm', () => {
		const { election, tab, kinds, ready, advance } = setup();
		tab('leader');
		tab('warm');
		ready('leader');
		election.warmth('warm', true);
		advance(100);
		tab('newer');
		// Equally visible, and more recently seen, but cold: the warm tab stays the standby.
		expect(kinds('newer')).toEqual(['leader']);
		expect(kinds('warm').at(-1)).toBe('leader');
		election.warmth('newer', true);
		expect(kinds('warm').at(-1)).toBe('stand-down');
		expect(kinds('newer').at(-1)).toBe('standby');
		// A worker replaced by a fresh one is cold again.
		election.warmth('newer', false);
		expect(kinds('warm').at(-1)).toBe('standby');
		election.gone('leader');
		expect(kinds('warm').at(-1)).toBe('claim');
	});

	it('moves the standby when a better tab shows, standing the old one down', () => {
		const { election, tab, kinds, ready } = setup();
		tab('a');
		tab('b', false);
		tab('c', false);
		ready('a');
		const standby = kinds('b').includes('standby') ? 'b' : 'c';
		const other = standby === 'b' ? 'c' : 'b';
		election.visibility(other, true);
		expect(kinds(standby).at(-1)).toBe('stand-down');
		expect(kinds(other).at(-1)).toBe('standby');
		election.visibility(other, true);
		expect(kinds(other).filter((kind) => kind === 'standby')).toHaveLength(1);
	});

	it('hands over when the leader turns hidden while another tab is visible, never on focus alone', () => {
		const { election, tab, kinds, ready } = setup();
		tab('a');
		tab('b', false);
		ready('a');
		election.visibility('a', false);
		expect(kinds('a').at(-1)).toBe('leader');
		election.visibility('b', true);
		election.visibility('a', true);
		election.visibility('a', false);
		expect(kinds('a').at(-2)).toBe('release');
		expect(kinds('b').at(-1)).toBe('claim');
		expect(kinds('a').at(-1)).toBe('standby');
		expect(election.leaderTabId).toBeUndefined();
	});

	it('fences a leader that stops sending heartbeats and lets another tab steal the lock', () => {
		const { election, tab, kinds, ready, advance } = setup();
		tab('a');
		tab('b');
		const broker = ready('a');
		advance(UNRESPONSIVE_AFTER_MS - 1);
		election.heartbeat(broker);
		advance(UNRESPONSIVE_AFTER_MS - 1);
		election.tick();
		expect(election.leaderTabId).toBe('a');
		advance(2);
		election.tick();
		expect(kinds('a')).toContain('release');
		expect(kinds('b').at(-1)).toBe('claim+steal');
	});

	it('repeats a claim with steal when the writer lock is not granted in time', () => {
		const { election, tab, kinds, advance } = setup();
		tab('a');
		advance(UNRESPONSIVE_AFTER_MS + 1);
		election.tick();
		expect(kinds('a')).toEqual(['claim', 'claim+steal']);
		election.tick();
		expect(kinds('a')).toEqual(['claim', 'claim+steal']);
	});

	it('moves the claim on when the claimant closes before it is ready', () => {
		const { election, tab, kinds } = setup();
		tab('a');
		tab('b');
		election.gone('a');
		expect(kinds('b')).toEqual(['standby', 'claim']);
		expect(election.claimantTabId).toBe('b');
	});

	it('re-elects the same tab when it is the only one and let go by itself (freeze)', () => {
		const { election, tab, kinds, ready } = setup();
		tab('a');
		ready('a');
		election.released('a');
		expect(kinds('a')).toEqual(['claim', 'leader', 'claim']);
	});

	it('voids a claim made to another tab when a different tab becomes leader, so it never turns into a steal', () => {
		const { election, tab, kinds, ready, advance } = setup();
		tab('a');
		tab('b');
		const broker = ready('b');
		expect(kinds('a')).toEqual(['claim', 'stand-down', 'leader', 'standby']);
		for (let i = 0; i < 2; i++) {
			advance(UNRESPONSIVE_AFTER_MS - 1);
			election.heartbeat(broker);
			election.tick();
		}
		expect(kinds('a')).not.toContain('claim+steal');
		expect(election.leaderTabId).toBe('b');
	});

	it("tells the leader's worker when a tab is gone, so its live queries are dropped", () => {
		const { election, tab, ready } = setup();
		tab('a');
		tab('b');
		const broker = ready('a');
		const told: unknown[] = [];
		broker.postMessage = (message: unknown) => void told.push(message);
		election.gone('b');
		expect(told).toEqual([{ ns: 'replica-coord', kind: 'client-gone', tabId: 'b' }]);
	});
});
