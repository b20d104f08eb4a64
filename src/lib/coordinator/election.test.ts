import { describe, expect, it } from 'vitest';
import { UNRESPONSIVE_AFTER_MS, type CoordinatorToTab } from '$lib/shared/coordinator-protocol';
import { Election } from './election';

function setup() {
	let now = 1_000;
	const election = new Election(() => now);
	const inbox = new Map<string, CoordinatorToTab[]>();
	const tab = (tabId: string, visible = true) => {
		inbox.set(tabId, []);
		election.register(tabId, { post: (message) => inbox.get(tabId)!.push(message) }, visible);
	};
	const kinds = (tabId: string) => inbox.get(tabId)!.map((message) => message.kind + ('steal' in message && message.steal ? '+steal' : ''));
	const ready = (tabId: string) => {
		const broker = new MessageChannel().port1;
		election.leaderReady(tabId, broker);
		return broker;
	};
	return { election, tab, kinds, ready, advance: (ms: number) => (now += ms) };
}

describe('Election', () => {
	it('asks exactly one tab to claim when two register at once, then connects every tab', () => {
		const { election, tab, kinds, ready } = setup();
		tab('a');
		tab('b');
		expect(kinds('a')).toEqual(['claim']);
		expect(kinds('b')).toEqual([]);
		ready('a');
		expect(kinds('a')).toEqual(['claim', 'leader']);
		expect(kinds('b')).toEqual(['leader']);
		expect(election.leaderTabId).toBe('a');
	});

	it('prefers a visible tab when the leader goes away, and gives every leader a new epoch', () => {
		const { election, tab, kinds, ready } = setup();
		tab('a');
		tab('hidden', false);
		tab('visible');
		ready('a');
		election.gone('a');
		expect(kinds('visible').at(-1)).toBe('claim');
		expect(kinds('hidden')).toEqual(['leader']);
		ready('visible');
		expect(kinds('hidden')).toEqual(['leader', 'leader']);
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
		expect(kinds('a').at(-1)).toBe('release');
		expect(kinds('b').at(-1)).toBe('claim');
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
		expect(kinds('a').at(-1)).toBe('release');
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
		expect(kinds('b')).toEqual(['claim']);
		expect(election.claimantTabId).toBe('b');
	});

	it('re-elects the same tab when it is the only one and let go by itself (freeze)', () => {
		const { election, tab, kinds, ready } = setup();
		tab('a');
		ready('a');
		election.released('a');
		expect(kinds('a')).toEqual(['claim', 'leader', 'claim']);
	});
});
