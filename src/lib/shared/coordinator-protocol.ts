/**
 * Tab ⇄ coordinator (SharedWorker) and coordinator ⇄ active DB worker. The coordinator never touches data: it
 * learns who holds the writer lock and hands every tab a direct MessagePort to that DB worker.
 */

export type TabToCoordinator =
	/** Sent once the tab holds its liveness lock (tabLock(tabId)). */
	| { ns: 'replica-coord'; kind: 'register'; tabId: string }
	/** The tab's DB worker holds the writer lock and has the database open; `broker` reaches that worker. */
	| { ns: 'replica-coord'; kind: 'leader-ready'; tabId: string; broker: MessagePort };

export type CoordinatorToTab =
	/** The DB worker of `leaderTabId` serves leadership `epoch`; `port` is this tab's direct line to it. */
	{ ns: 'replica-coord'; kind: 'leader'; epoch: number; leaderTabId: string; port: MessagePort };

export type CoordinatorToBroker =
	/** A client port for tab `tabId`, to be served under `epoch`. */
	{ ns: 'replica-coord'; kind: 'client'; tabId: string; epoch: number; port: MessagePort };

/** Page ⇄ its own dedicated DB worker. */
export type PageToDbWorker = { ns: 'replica-worker'; kind: 'start'; tabId: string };
export type DbWorkerToPage =
	/** This worker now holds the writer lock with the database open. */
	| { ns: 'replica-worker'; kind: 'active'; broker: MessagePort }
	/** The database could not be opened; `message` says why. The worker retries by itself. */
	| { ns: 'replica-worker'; kind: 'open-failed'; message: string };

export function hasNamespace<T extends { ns: string }>(data: unknown, ns: T['ns']): data is T {
	return typeof data === 'object' && data !== null && (data as { ns?: unknown }).ns === ns;
}
