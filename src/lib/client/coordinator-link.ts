/** The tab's connection to the coordinator SharedWorker. */
import { hasNamespace, type CoordinatorToTab, type TabToCoordinator } from '#lib/shared/coordinator-protocol.ts';
import type { ElectionLink } from './tab-leadership';

export class CoordinatorLink implements ElectionLink {
	readonly #port: MessagePort;

	constructor(
		private readonly tabId: string,
		visible: boolean,
		onMessage: (message: CoordinatorToTab) => void
	) {
		const coordinator = new SharedWorker(new URL('../coordinator/coordinator.shared-worker.ts', import.meta.url), {
			type: 'module',
			name: 'replica-coordinator'
		});
		this.#port = coordinator.port;
		this.#port.onmessage = ({ data }) => {
			if (hasNamespace<CoordinatorToTab>(data, 'replica-coord')) onMessage(data);
		};
		this.#send({ ns: 'replica-coord', kind: 'register', tabId, visible });
	}

	workerStarted() {
		// The coordinator says when to claim; it prefers a warm standby, and this worker is not yet.
		this.#send({ ns: 'replica-coord', kind: 'warmth', tabId: this.tabId, warm: false });
	}

	workerWarm() {
		this.#send({ ns: 'replica-coord', kind: 'warmth', tabId: this.tabId, warm: true });
	}

	visibility(visible: boolean) {
		this.#send({ ns: 'replica-coord', kind: 'visibility', tabId: this.tabId, visible });
	}

	leaderReady(broker: MessagePort) {
		this.#send({ ns: 'replica-coord', kind: 'leader-ready', tabId: this.tabId, broker }, [broker]);
	}

	released() {
		this.#send({ ns: 'replica-coord', kind: 'released', tabId: this.tabId });
	}

	#send(message: TabToCoordinator, transfer: Transferable[] = []) {
		this.#port.postMessage(message, transfer);
	}
}
