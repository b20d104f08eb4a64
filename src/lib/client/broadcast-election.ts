/**
 * Leadership without a SharedWorker (older Android Chrome). Every tab's worker queues for the writer lock at once,
 * so the lock alone elects (FIFO, one holder). The leader's page relays between a BroadcastChannel and its
 * worker: each other tab gets a stand-in port whose messages travel over the channel, addressed by tab id, with
 * the leader's epoch (its start time: a later leader always has a larger one). Requests left unanswered by a
 * leader that died are re-sent to the next, as with the coordinator.
 */
import type { CoordinatorToBroker } from '#lib/shared/coordinator-protocol.ts';
import type { LeaderPort } from './db-client';
import type { ElectionLink } from './tab-leadership';

const CHANNEL = 'replica:election';

type Envelope =
	| { kind: 'leader'; epoch: number; leaderTabId: string }
	| { kind: 'who-leads' }
	| { kind: 'to-leader'; epoch: number; from: string; data: unknown }
	| { kind: 'to-tab'; epoch: number; to: string; data: unknown };

export class BroadcastElection implements ElectionLink {
	readonly #channel = new BroadcastChannel(CHANNEL);
	/** Set while this tab leads: the broker to its worker and one relay port per other tab. */
	#leading: { epoch: number; broker: MessagePort; relays: Map<string, MessagePort> } | undefined;
	#follower: { epoch: number; port: LeaderPort } | undefined;

	constructor(
		private readonly tabId: string,
		private readonly onLeader: (port: LeaderPort, epoch: number, leaderTabId: string) => void
	) {
		this.#channel.onmessage = ({ data }: MessageEvent<Envelope>) => this.#receive(data);
		this.#post({ kind: 'who-leads' });
	}

	workerStarted(claim: (steal: boolean) => void) {
		claim(false);
	}

	visibility() {
		// Without a coordinator there is no one to hand over to; the lock queue decides.
	}

	workerWarm() {
		// Every worker queues at once; the lock queue decides.
	}

	leaderReady(broker: MessagePort) {
		const epoch = Date.now();
		broker.onmessage = null;
		this.#leading = { epoch, broker, relays: new Map() };
		this.#follower = undefined;
		const own = this.#connect(this.tabId);
		this.onLeader(own, epoch, this.tabId);
		this.#post({ kind: 'leader', epoch, leaderTabId: this.tabId });
	}

	released() {
		this.#leading = undefined;
	}

	#receive(message: Envelope) {
		const leading = this.#leading;
		if (message.kind === 'who-leads') {
			if (leading) this.#post({ kind: 'leader', epoch: leading.epoch, leaderTabId: this.tabId });
		} else if (message.kind === 'leader') {
			if (message.leaderTabId === this.tabId || (this.#follower && this.#follower.epoch >= message.epoch)) return;
			this.#follow(message.epoch, message.leaderTabId);
		} else if (message.kind === 'to-leader') {
			if (!leading || message.epoch !== leading.epoch) return;
			const relay = leading.relays.get(message.from) ?? this.#relayFor(message.from, leading.epoch);
			relay.postMessage(message.data);
		} else if (message.to === this.tabId && message.epoch === this.#follower?.epoch) {
			this.#follower.port.onmessage?.({ data: message.data } as MessageEvent);
		}
	}

	#follow(epoch: number, leaderTabId: string) {
		const port: LeaderPort = {
			onmessage: null,
			postMessage: (data: unknown) => this.#post({ kind: 'to-leader', epoch, from: this.tabId, data }),
			close: () => {}
		};
		this.#follower = { epoch, port };
		this.onLeader(port, epoch, leaderTabId);
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
