/**
 * Leadership without a SharedWorker (older Android Chrome): the tabs elect among themselves with the writer lock
 * and a BroadcastChannel, keeping the coordinator's rules.
 *
 * - The lock elects (FIFO, one holder). Visible tabs queue for it; hidden ones stand aside, so a visible tab is
 *   preferred when there is a choice. A hidden tab queues when no leader answers, or when the leader's tab is gone
 *   (its liveness lock, tabLock, is released), so someone always leads.
 * - A leader that turns hidden while a visible tab exists hands over: it lets go, and the lock passes to a visible
 *   tab's worker, already queued. Focus changes move nothing. A leader that lets go (handover, freeze) says so,
 *   and the hidden tabs queue too.
 * - The leader's page forwards its worker's heartbeats. When they stop for UNRESPONSIVE_AFTER_MS, the leader's page
 *   terminates its worker (hung: that frees the file) and starts over, and one follower (whoever takes that
 *   epoch's fence lock) claims with `steal`, for when the page itself is hung: its worker, alive, sees the steal
 *   and closes the file. A leader's page that hears a later leader lets go of its worker and starts over.
 *
 * The leader's page relays between the channel and its worker: each other tab gets a stand-in port whose messages
 * travel over the channel, addressed by tab id, with the leader's epoch (a later leader always has a larger one).
 * Requests left unanswered by a leader that died are re-sent to the next, as with the coordinator.
 */
import { HEARTBEAT_MS, UNRESPONSIVE_AFTER_MS, type CoordinatorToBroker } from '#lib/shared/coordinator-protocol.ts';
import { fenceLock, tabLock } from '#lib/shared/lock-names.ts';
import type { LeaderPort } from './db-client';
import type { ElectionLink, StandbyWorker } from './tab-leadership';

const CHANNEL = 'replica:election';
/** How long a hidden tab waits for a leader to answer before it queues for the lock itself. */
const ROLL_CALL_MS = 300;

type Envelope =
	| { kind: 'leader'; epoch: number; leaderTabId: string }
	| { kind: 'who-leads' }
	| { kind: 'let-go'; epoch: number }
	| { kind: 'anyone-visible'; epoch: number }
	| { kind: 'visible'; epoch: number }
	| { kind: 'to-leader'; epoch: number; from: string; data: unknown }
	| { kind: 'to-tab'; epoch: number; to: string; data: unknown };

export interface BroadcastElectionEvents {
	onLeader(port: LeaderPort, epoch: number, leaderTabId: string): void;
	/** This tab must let go of its worker (handover, or a later leader fenced it) and start a fresh one. */
	onRelease(): void;
}

export class BroadcastElection implements ElectionLink {
	readonly #channel = new BroadcastChannel(CHANNEL);
	/** Set while this tab leads: the broker to its worker and one relay port per other tab. */
	#leading: { epoch: number; broker: MessagePort; relays: Map<string, MessagePort>; heardAt: number } | undefined;
	#follower: { epoch: number; port: LeaderPort; heardAt: number; unwatch: AbortController } | undefined;
	#worker: StandbyWorker | undefined;
	#latestEpoch = 0;

	constructor(
		private readonly tabId: string,
		private visible: boolean,
		private readonly events: BroadcastElectionEvents
	) {
		this.#channel.onmessage = ({ data }: MessageEvent<Envelope>) => this.#receive(data);
		this.#post({ kind: 'who-leads' });
		setInterval(() => this.#checkLeader(), HEARTBEAT_MS);
	}

	workerStarted(worker: StandbyWorker) {
		this.#worker = worker;
		if (this.visible) return worker.claim(false);
		setTimeout(() => this.#follower || this.#leading || this.#worker?.claim(false), ROLL_CALL_MS);
	}

	workerWarm() {
		// The lock queue decides among the queued; being warm changes nothing here.
	}

	visibility(visible: boolean) {
		this.visible = visible;
		const leading = this.#leading;
		if (visible) this.#worker?.claim(false);
		else if (leading) this.#post({ kind: 'anyone-visible', epoch: leading.epoch });
		else if (this.#follower) this.#worker?.standDown();
	}

	leaderReady(broker: MessagePort) {
		const epoch = Math.max(Date.now(), this.#latestEpoch + 1);
		this.#latestEpoch = epoch;
		const leading = { epoch, broker, relays: new Map(), heardAt: Date.now() };
		// The worker's heartbeat, passed on: it also tells tabs that missed the announcement who leads.
		broker.onmessage = () => {
			leading.heardAt = Date.now();
			this.#post({ kind: 'leader', epoch, leaderTabId: this.tabId });
		};
		this.#leading = leading;
		this.#follower?.unwatch.abort();
		this.#follower = undefined;
		const own = this.#connect(this.tabId);
		this.events.onLeader(own, epoch, this.tabId);
		this.#post({ kind: 'leader', epoch, leaderTabId: this.tabId });
	}

	/** This tab's worker is gone (terminated: the file and the lock are free). Followers queue at once. */
	released() {
		if (this.#leading) this.#post({ kind: 'let-go', epoch: this.#leading.epoch });
		this.#leading = undefined;
		this.#worker = undefined;
	}

	#receive(message: Envelope) {
		const leading = this.#leading;
		switch (message.kind) {
			case 'who-leads':
				if (leading) this.#post({ kind: 'leader', epoch: leading.epoch, leaderTabId: this.tabId });
				return;
			case 'leader':
				return this.#heard(message.epoch, message.leaderTabId);
			case 'let-go':
				// A frozen or handing-over leader: whoever is first in the lock's queue (a visible tab) takes over. Its
				// silence from now on is not a hang: no one fences it while the next leader opens the file.
				if (message.epoch !== this.#follower?.epoch) return;
				this.#follower.heardAt = Date.now();
				this.#worker?.claim(false);
				return;
			case 'anyone-visible':
				if (this.visible && message.epoch === this.#follower?.epoch)
					this.#post({ kind: 'visible', epoch: message.epoch });
				return;
			case 'visible':
				// Still hidden, and a visible tab is there to take over: its worker is queued for the lock.
				if (leading && message.epoch === leading.epoch && !this.visible) this.events.onRelease();
				return;
			case 'to-leader': {
				if (!leading || message.epoch !== leading.epoch) return;
				const relay = leading.relays.get(message.from) ?? this.#relayFor(message.from, leading.epoch);
				relay.postMessage(message.data);
				return;
			}
			case 'to-tab':
				if (message.to === this.tabId && message.epoch === this.#follower?.epoch) {
					this.#follower.port.onmessage?.({ data: message.data } as MessageEvent);
				}
		}
	}

	/** A leader announced itself or beat its heart. */
	#heard(epoch: number, leaderTabId: string) {
		if (leaderTabId === this.tabId && epoch === this.#leading?.epoch) return;
		if (epoch < this.#latestEpoch) return;
		if (this.#follower?.epoch === epoch) {
			this.#follower.heardAt = Date.now();
			return;
		}
		this.#latestEpoch = epoch;
		// A later leader took the lock from this tab's worker (it was hung): start over as a follower.
		if (this.#leading) this.events.onRelease();
		this.#follow(epoch, leaderTabId);
		if (!this.visible) this.#worker?.standDown();
	}

	#follow(epoch: number, leaderTabId: string) {
		const port: LeaderPort = {
			onmessage: null,
			postMessage: (data: unknown) => this.#post({ kind: 'to-leader', epoch, from: this.tabId, data }),
			close: () => {}
		};
		this.#follower?.unwatch.abort();
		const unwatch = new AbortController();
		this.#follower = { epoch, port, heardAt: Date.now(), unwatch };
		this.events.onLeader(port, epoch, leaderTabId);
		// Granted when the leader's tab is gone: then every tab queues, visible ones being ahead already.
		navigator.locks
			.request(tabLock(leaderTabId), { signal: unwatch.signal }, () => {
				if (this.#follower?.epoch === epoch) this.#worker?.claim(false);
			})
			.catch(() => {});
	}

	/**
	 * Heartbeats stopped: a leader's page restarts its hung worker; a follower fences the leader, if it is the
	 * one that gets that epoch's fence lock.
	 */
	#checkLeader() {
		if (this.#leading && Date.now() - this.#leading.heardAt > UNRESPONSIVE_AFTER_MS) return this.events.onRelease();
		const follower = this.#follower;
		if (!follower || Date.now() - follower.heardAt <= UNRESPONSIVE_AFTER_MS) return;
		const { epoch } = follower;
		void navigator.locks.request(fenceLock(epoch), { ifAvailable: true }, (lock) => {
			if (!lock || this.#follower?.epoch !== epoch) return;
			this.#worker?.claim(true);
			// Held for the tab's life: no one fences this epoch twice.
			return new Promise<never>(() => {});
		});
	}

	/** A real port to this tab's own worker, registered with it like a coordinator-brokered client port. */
	#connect(tabId: string): MessagePort {
		const leading = this.#leading!;
		const { port1, port2 } = new MessageChannel();
		leading.broker.postMessage(
			{ ns: 'replica-coord', kind: 'client', tabId, epoch: leading.epoch, port: port1 } satisfies CoordinatorToBroker,
			[port1]
		);
		return port2;
	}

	#relayFor(tabId: string, epoch: number): MessagePort {
		const relay = this.#connect(tabId);
		relay.onmessage = ({ data }) => this.#post({ kind: 'to-tab', epoch, to: tabId, data });
		this.#leading!.relays.set(tabId, relay);
		return relay;
	}

	#post(message: Envelope) {
		this.#channel.postMessage(message);
	}
}
