/**
 * This tab's part in leadership: it owns the tab's DB worker (a warm standby until told to claim), relays between
 * that worker and the election (the coordinator SharedWorker, or BroadcastElection where SharedWorker does not
 * exist), and lets go of the database before the browser freezes the tab: a frozen tab keeps its OPFS handles,
 * and terminating the worker in the `freeze` handler frees them at once (measured ~9 ms).
 */
import {
	hasNamespace,
	type CoordinatorToTab,
	type DbWorkerToPage,
	type PageToDbWorker
} from '#lib/shared/coordinator-protocol.ts';
import { BroadcastElection } from './broadcast-election';
import { CoordinatorLink } from './coordinator-link';
import type { LeaderPort } from './db-client';

export interface LeadershipEvents {
	onLeader(port: LeaderPort, epoch: number, leaderTabId: string): void;
	onRole(role: 'active' | 'follower'): void;
	onOpenProblem(message: string | null): void;
	/** Opening the database rebuilds its projections; null once it is open. */
	onRebuild(progress: { done: number; total: number } | null): void;
}

/** This tab's DB worker, as an election steers it: queue for the writer lock (or steal it), or leave the queue. */
export interface StandbyWorker {
	claim(steal: boolean): void;
	standDown(): void;
}

/** What the page needs from an election: the coordinator or the broadcast fallback. */
export interface ElectionLink {
	/** A fresh standby worker exists, not yet queued for the writer lock. */
	workerStarted(worker: StandbyWorker): void;
	/** That worker has loaded sqlite-wasm. */
	workerWarm(): void;
	visibility(visible: boolean): void;
	leaderReady(broker: MessagePort): void;
	released(): void;
}

export class TabLeadership {
	#worker: Worker | undefined;
	readonly #link: ElectionLink;

	constructor(
		readonly tabId: string,
		private readonly events: LeadershipEvents
	) {
		this.#link =
			typeof SharedWorker === 'function'
				? new CoordinatorLink(tabId, isVisible(), (message) => this.#onElection(message))
				: new BroadcastElection(tabId, isVisible(), {
						onLeader: (port, epoch, leaderTabId) => events.onLeader(port, epoch, leaderTabId),
						onRelease: () => this.#startOver()
					});
		this.#startWorker();
		document.addEventListener('visibilitychange', () => this.#link.visibility(isVisible()));
		// A frozen or back/forward-cached tab must not keep the database: let go synchronously, start over later. A
		// closing tab lets go too: Chromium frees a dead tab's lock and access handles only 75–100 ms after it closes.
		document.addEventListener('freeze', () => this.#letGo());
		window.addEventListener('pagehide', () => this.#letGo());
		document.addEventListener('resume', () => this.#startWorker());
		window.addEventListener('pageshow', (event) => event.persisted && this.#startWorker());
	}

	#onElection(message: CoordinatorToTab) {
		if (message.kind === 'leader') this.events.onLeader(message.port, message.epoch, message.leaderTabId);
		else if (message.kind === 'claim')
			this.#toWorker({ ns: 'replica-worker', kind: 'claim', steal: message.steal, opfs: hasOpfs() });
		else if (message.kind === 'standby') this.#toWorker({ ns: 'replica-worker', kind: 'standby', opfs: hasOpfs() });
		else if (message.kind === 'stand-down') this.#toWorker({ ns: 'replica-worker', kind: 'stand-down' });
		else this.#startOver();
	}

	#startOver() {
		this.#letGo();
		this.#startWorker();
	}

	#startWorker() {
		if (this.#worker) return;
		const worker = new Worker(new URL('../db/db.worker.ts', import.meta.url), { type: 'module' });
		this.#worker = worker;
		worker.onmessage = ({ data }) => {
			if (!hasNamespace<DbWorkerToPage>(data, 'replica-worker') || worker !== this.#worker) return;
			if (data.kind === 'open-failed') return this.events.onOpenProblem(data.message);
			if (data.kind === 'rebuilding') return this.events.onRebuild({ done: data.done, total: data.total });
			if (data.kind === 'warm') return this.#link.workerWarm();
			if (data.kind === 'fenced') return this.#startOver();
			this.events.onOpenProblem(null);
			this.events.onRebuild(null);
			this.events.onRole('active');
			this.#link.leaderReady(data.broker);
		};
		this.#link.workerStarted({
			// Bound to this worker: an election that still holds it after a restart reaches no one.
			claim: (steal) => worker.postMessage({ ns: 'replica-worker', kind: 'claim', steal, opfs: hasOpfs() }),
			standDown: () => worker.postMessage({ ns: 'replica-worker', kind: 'stand-down' })
		});
	}

	#toWorker(message: PageToDbWorker) {
		this.#worker?.postMessage(message);
	}

	/** Terminating the worker releases its writer lock and its OPFS handles; nothing is left half-written. */
	#letGo() {
		if (!this.#worker) return;
		this.#worker.terminate();
		this.#worker = undefined;
		this.events.onRole('follower');
		this.#link.released();
	}
}

const isVisible = () => document.visibilityState === 'visible';
const hasOpfs = () => typeof navigator.storage?.getDirectory === 'function';
