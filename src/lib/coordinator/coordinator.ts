/**
 * The coordinator (one SharedWorker per origin): keeps the tab registry, runs the election (election.ts) and
 * brokers ports. It never touches data. Tab liveness is a lock each tab holds for its whole life; requesting it
 * here resolves exactly when the tab is gone (closed, crashed, or evicted from the back/forward cache, which our
 * pending request causes).
 */
import {
	HEARTBEAT_MS,
	hasNamespace,
	type BrokerToCoordinator,
	type TabToCoordinator
} from '#lib/shared/coordinator-protocol.ts';
import { tabLock } from '#lib/shared/lock-names.ts';
import { Election } from './election';

export function startCoordinator(scope: SharedWorkerGlobalScope) {
	const election = new Election();
	setInterval(() => election.tick(), HEARTBEAT_MS);

	function onMessage(tabPort: MessagePort, message: TabToCoordinator) {
		switch (message.kind) {
			case 'register':
				election.register(
					message.tabId,
					{ post: (data, transfer = []) => tabPort.postMessage(data, transfer) },
					message.visible
				);
				void navigator.locks.request(tabLock(message.tabId), () => election.gone(message.tabId));
				return;
			case 'visibility':
				return election.visibility(message.tabId, message.visible);
			case 'warmth':
				return election.warmth(message.tabId, message.warm);
			case 'leader-ready': {
				const broker = message.broker;
				broker.onmessage = ({ data }) => {
					if (hasNamespace<BrokerToCoordinator>(data, 'replica-coord')) election.heartbeat(broker);
				};
				return election.leaderReady(message.tabId, broker);
			}
			case 'released':
				return election.released(message.tabId);
		}
	}

	scope.addEventListener('connect', (event) => {
		const tabPort = event.ports[0];
		tabPort.onmessage = ({ data }) => {
			if (hasNamespace<TabToCoordinator>(data, 'replica-coord')) onMessage(tabPort, data);
		};
	});
}
