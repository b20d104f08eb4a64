/**
 * Tab ⇄ coordinator (SharedWorker), coordinator ⇄ active DB worker, and page ⇄ its own DB worker.
 *
 * Who leads: the coordinator chooses a claimant (a visible tab first) and tells it to claim; the claimant's DB
 * worker takes the writer lock, opens the database and announces itself; the coordinator gives it a new epoch and
 * hands every tab a direct MessagePort to it. The writer lock is the fence: whatever the coordinator decides, only
 * the lock holder has the file open.
 */

export type TabToCoordinator =
	/** Sent once the tab holds its liveness lock (tabLock(tabId)). */
	| { ns: 'replica-coord'; kind: 'register'; tabId: string; visible: boolean }
	| { ns: 'replica-coord'; kind: 'visibility'; tabId: string; visible: boolean }
	/** The tab's DB worker is a fresh one (cold) or has sqlite-wasm loaded (warm): only a warm standby is fast. */
	| { ns: 'replica-coord'; kind: 'warmth'; tabId: string; warm: boolean }
	/** The tab's DB worker holds the writer lock and has the database open; `broker` reaches that worker. */
	| { ns: 'replica-coord'; kind: 'leader-ready'; tabId: string; broker: MessagePort }
	/** The tab terminated its DB worker (handover, freeze, fencing): it no longer leads. */
	| { ns: 'replica-coord'; kind: 'released'; tabId: string };

export type CoordinatorToTab =
	/** The DB worker of `leaderTabId` serves leadership `epoch`; `port` is this tab's direct line to it. */
	| { ns: 'replica-coord'; kind: 'leader'; epoch: number; leaderTabId: string; port: MessagePort }
	/** Take the writer lock. `steal` when the holder is hung: the lock moves and the old holder is fenced. */
	| { ns: 'replica-coord'; kind: 'claim'; steal: boolean }
	/** Queue for the writer lock now, to succeed the leader the instant it is gone; `stand-down` leaves the queue. */
	| { ns: 'replica-coord'; kind: 'standby' }
	| { ns: 'replica-coord'; kind: 'stand-down' }
	/** Let go of the database: terminate the DB worker and start a fresh standby one. */
	| { ns: 'replica-coord'; kind: 'release'; reason: 'handover' | 'unresponsive' };

export type CoordinatorToBroker =
	/** A client port for tab `tabId`, to be served under `epoch` (it replaces any earlier port of that tab). */
	| { ns: 'replica-coord'; kind: 'client'; tabId: string; epoch: number; port: MessagePort }
	/** Tab `tabId` is gone: drop its port and its live queries. */
	| { ns: 'replica-coord'; kind: 'client-gone'; tabId: string };

/** The active DB worker proves it is alive every HEARTBEAT_MS; silence for UNRESPONSIVE_AFTER_MS fences it. */
export type BrokerToCoordinator = { ns: 'replica-coord'; kind: 'heartbeat' };
export const HEARTBEAT_MS = 1_000;
export const UNRESPONSIVE_AFTER_MS = 5_000;

/**
 * `claim` and `standby` both queue for the writer lock; only a standby's request can be withdrawn (`stand-down`),
 * since a stealing request cannot carry an AbortSignal. `opfs`: whether the page sees the origin private file
 * system (the worker falls back to memory without it).
 */
export type PageToDbWorker =
	| { ns: 'replica-worker'; kind: 'claim'; steal: boolean; opfs: boolean }
	| { ns: 'replica-worker'; kind: 'standby'; opfs: boolean }
	| { ns: 'replica-worker'; kind: 'stand-down' };
export type DbWorkerToPage =
	/** sqlite-wasm is loaded: from now on taking over costs only opening the database. */
	| { ns: 'replica-worker'; kind: 'warm' }
	/** This worker now holds the writer lock with the database open. */
	| { ns: 'replica-worker'; kind: 'active'; broker: MessagePort }
	/** The database could not be opened; `message` says why. The worker retries by itself. */
	| { ns: 'replica-worker'; kind: 'open-failed'; message: string }
	/** Opening rebuilds the projections (their code changed): `done` of `total` events replayed so far. */
	| { ns: 'replica-worker'; kind: 'rebuilding'; done: number; total: number }
	/** Another tab stole the writer lock (this worker was unresponsive): it closed the database. */
	| { ns: 'replica-worker'; kind: 'fenced' };

export function hasNamespace<T extends { ns: string }>(data: unknown, ns: T['ns']): data is T {
	return typeof data === 'object' && data !== null && (data as { ns?: unknown }).ns === ns;
}
