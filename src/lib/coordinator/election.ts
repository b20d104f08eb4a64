/**
 * The coordinator's decisions, free of SharedWorker and lock APIs so they can be unit-tested.
 *
 * Invariants: at most one claim is outstanding; a claim goes to a visible tab when there is one (the most
 * recently visible otherwise; among equals, one whose DB worker is warm); leadership moves only when the leader
 * goes away, turns hidden while another tab is visible (handover), or stops sending heartbeats (fenced with a lock
 * steal). Focus changes move nothing. The writer lock, not this class, guarantees a single writer.
 *
 * The standby: the best tab after the leader already waits in the writer lock's queue, so when the leader's tab
 * dies the lock passes to it at once, without waiting for this coordinator to notice (~40 ms) and send a claim.
 */
import {
	UNRESPONSIVE_AFTER_MS,
	type CoordinatorToBroker,
	type CoordinatorToTab
} from '#lib/shared/coordinator-protocol.ts';

export interface TabHandle {
	post(message: CoordinatorToTab, transfer?: Transferable[]): void;
}

interface TabEntry {
	handle: TabHandle;
	visible: boolean;
	lastVisibleAt: number;
	/** Its DB worker has sqlite-wasm loaded; a cold one would load it (~200–300 ms) before it could open the file. */
	warm: boolean;
}

interface Claim {
	tabId: string;
	since: number;
	steal: boolean;
}

interface Leader {
	tabId: string;
	broker: MessagePort;
	epoch: number;
	lastHeartbeat: number;
}

export class Election {
	readonly #tabs = new Map<string, TabEntry>();
	#leader: Leader | undefined;
	#claim: Claim | undefined;
	#standby: string | undefined;
	#lastEpoch = 0;

	constructor(private readonly now: () => number = Date.now) {}

	get leaderTabId() {
		return this.#leader?.tabId;
	}

	get claimantTabId() {
		return this.#claim?.tabId;
	}

	register(tabId: string, handle: TabHandle, visible: boolean) {
		if (this.#tabs.has(tabId)) return;
		this.#tabs.set(tabId, { handle, visible, lastVisibleAt: visible ? this.now() : 0, warm: false });
		if (this.#leader) this.#connect(tabId, this.#leader);
		this.#ensureClaim(false);
		this.#ensureStandby();
	}

	visibility(tabId: string, visible: boolean) {
		const tab = this.#tabs.get(tabId);
		if (!tab) return;
		tab.visible = visible;
		if (visible) tab.lastVisibleAt = this.now();
		const leader = this.#leader;
		if (!visible && leader?.tabId === tabId && this.#best(tabId)?.visible) {
			this.#depose(leader, 'handover', false);
		}
		this.#ensureStandby();
	}

	/** A tab's DB worker turned warm, or was replaced by a cold one: the standby may move to a warm tab. */
	warmth(tabId: string, warm: boolean) {
		const tab = this.#tabs.get(tabId);
		if (!tab || tab.warm === warm) return;
		tab.warm = warm;
		this.#ensureStandby();
	}

	leaderReady(tabId: string, broker: MessagePort) {
		const leader = { tabId, broker, epoch: ++this.#lastEpoch, lastHeartbeat: this.now() };
		this.#leader = leader;
		// Whoever holds the lock leads; a claim made to another tab is void (it must not turn into a steal later).
		const claim = this.#claim;
		this.#claim = undefined;
		if (claim && claim.tabId !== tabId)
			this.#tabs.get(claim.tabId)?.handle.post({ ns: 'replica-coord', kind: 'stand-down' });
		if (this.#standby === tabId) this.#standby = undefined;
		for (const id of this.#tabs.keys()) this.#connect(id, leader);
		this.#ensureStandby();
	}

	heartbeat(broker: MessagePort) {
		if (this.#leader?.broker === broker) this.#leader.lastHeartbeat = this.now();
	}

	/** The tab let go of the database by itself (freeze, fencing) or after being asked to. */
	released(tabId: string) {
		if (this.#leader?.tabId === tabId) this.#leader = undefined;
		if (this.#claim?.tabId === tabId) this.#claim = undefined;
		if (this.#standby === tabId) this.#standby = undefined;
		this.#ensureClaim(false);
		this.#ensureStandby();
	}

	/** The tab's liveness lock was released: the tab is gone. */
	gone(tabId: string) {
		this.#tabs.delete(tabId);
		this.#leader?.broker.postMessage({ ns: 'replica-coord', kind: 'client-gone', tabId } satisfies CoordinatorToBroker);
		this.released(tabId);
	}

	/**
	 * Called every HEARTBEAT_MS. Fences a leader that stopped answering, and a claim that has waited too long for
	 * the writer lock is repeated with `steal` (its holder is frozen or hung without being known as the leader).
	 */
	tick() {
		const leader = this.#leader;
		const now = this.now();
		if (leader && now - leader.lastHeartbeat > UNRESPONSIVE_AFTER_MS) this.#depose(leader, 'unresponsive', true);
		const claim = this.#claim;
		if (!this.#leader && claim && !claim.steal && now - claim.since > UNRESPONSIVE_AFTER_MS) {
			claim.steal = true;
			this.#tabs.get(claim.tabId)?.handle.post({ ns: 'replica-coord', kind: 'claim', steal: true });
		}
	}

	#depose(leader: Leader, reason: 'handover' | 'unresponsive', steal: boolean) {
		this.#leader = undefined;
		this.#tabs.get(leader.tabId)?.handle.post({ ns: 'replica-coord', kind: 'release', reason });
		this.#claim = undefined;
		this.#ensureClaim(steal, leader.tabId);
		this.#ensureStandby();
	}

	/** The standby, if it is still there, is already queued for the lock; the claim only confirms it. */
	#ensureClaim(steal: boolean, exclude?: string) {
		if (this.#leader || this.#claim) return;
		const standby = this.#standby !== exclude ? this.#standby : undefined;
		const tabId = standby ?? (this.#best(exclude) ?? (exclude ? this.#best() : undefined))?.tabId;
		if (!tabId) return;
		if (standby) this.#standby = undefined;
		this.#claim = { tabId, since: this.now(), steal };
		this.#tabs.get(tabId)!.handle.post({ ns: 'replica-coord', kind: 'claim', steal });
	}

	#ensureStandby() {
		const succeeding = this.#leader?.tabId ?? this.#claim?.tabId;
		const wanted = succeeding ? this.#best(succeeding)?.tabId : undefined;
		if (wanted === this.#standby) return;
		if (this.#standby) this.#tabs.get(this.#standby)?.handle.post({ ns: 'replica-coord', kind: 'stand-down' });
		this.#standby = wanted;
		if (wanted) this.#tabs.get(wanted)!.handle.post({ ns: 'replica-coord', kind: 'standby' });
	}

	#best(exclude?: string): (TabEntry & { tabId: string }) | undefined {
		let best: (TabEntry & { tabId: string }) | undefined;
		for (const [tabId, tab] of this.#tabs) {
			if (tabId === exclude) continue;
			// Visible first (a hidden leader would soon hand over), then warm (fast to take over), then recently seen.
			const better =
				!best ||
				(tab.visible !== best.visible
					? tab.visible
					: tab.warm !== best.warm
						? tab.warm
						: tab.lastVisibleAt > best.lastVisibleAt);
			if (better) best = { ...tab, tabId };
		}
		return best;
	}

	#connect(tabId: string, leader: Leader) {
		const tab = this.#tabs.get(tabId);
		if (!tab) return;
		const { port1, port2 } = new MessageChannel();
		leader.broker.postMessage(
			{ ns: 'replica-coord', kind: 'client', tabId, epoch: leader.epoch, port: port1 } satisfies CoordinatorToBroker,
			[port1]
		);
		tab.handle.post(
			{ ns: 'replica-coord', kind: 'leader', epoch: leader.epoch, leaderTabId: leader.tabId, port: port2 },
			[port2]
		);
	}
}
