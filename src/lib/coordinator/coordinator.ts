/**
 * The coordinator (one SharedWorker per origin) keeps the tab registry and brokers ports; it never decides who
 * writes. Leadership is the writer lock (WRITER_LOCK): DB workers queue for it, the holder opens the database and
 * announces itself ("leader-ready"), and the coordinator gives it a new epoch and hands every tab a direct
 * MessagePort to it. So even a confused coordinator cannot create a second writer.
 */
import {
	hasNamespace,
	type CoordinatorToBroker,
	type CoordinatorToTab,
	type TabToCoordinator
} from '$lib/shared/coordinator-protocol';
import { tabLock } from '$lib/shared/lock-names';

interface Leader {
	tabId: string;
	broker: MessagePort;
	epoch: number;
}

export function startCoordinator(scope: SharedWorkerGlobalScope) {
	const tabs = new Map<string, MessagePort>();
	let leader: Leader | undefined;
	let lastEpoch = 0;

	function connect(tabId: string, tabPort: MessagePort, to: Leader) {
		const { port1, port2 } = new MessageChannel();
		to.broker.postMessage(
			{ ns: 'replica-coord', kind: 'client', tabId, epoch: to.epoch, port: port1 } satisfies CoordinatorToBroker,
			[port1]
		);
		tabPort.postMessage(
			{
				ns: 'replica-coord',
				kind: 'leader',
				epoch: to.epoch,
				leaderTabId: to.tabId,
				port: port2
			} satisfies CoordinatorToTab,
			[port2]
		);
	}

	/** The tab holds tabLock(tabId) for its whole life, so this request is granted exactly when it is gone. */
	function forgetWhenGone(tabId: string) {
		void navigator.locks.request(tabLock(tabId), () => {
			tabs.delete(tabId);
			if (leader?.tabId === tabId) leader = undefined;
		});
	}

	function onMessage(tabPort: MessagePort, message: TabToCoordinator) {
		if (message.kind === 'register') {
			if (tabs.has(message.tabId)) return;
			tabs.set(message.tabId, tabPort);
			forgetWhenGone(message.tabId);
			if (leader) connect(message.tabId, tabPort, leader);
		} else {
			leader = { tabId: message.tabId, broker: message.broker, epoch: ++lastEpoch };
			for (const [tabId, port] of tabs) connect(tabId, port, leader);
		}
	}

	scope.addEventListener('connect', (event) => {
		const tabPort = event.ports[0];
		tabPort.addEventListener('message', ({ data }) => {
			if (hasNamespace<TabToCoordinator>(data, 'replica-coord')) onMessage(tabPort, data);
		});
		tabPort.start();
	});
}
