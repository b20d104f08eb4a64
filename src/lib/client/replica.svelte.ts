/**
 * The page's handle on the replica: takes part in leadership (TabLeadership owns this tab's DB worker) and talks
 * to whichever DB worker is active through the port the election hands out.
 */
import type { DbStatus, RebuildResult, Row, SqlParams } from '#lib/shared/db-protocol.ts';
import type { Command } from '#lib/shared/commands.ts';
import { KEEPALIVE_MS } from '#lib/shared/ingest-protocol.ts';
import { tabLock } from '#lib/shared/lock-names.ts';
import { setCommandReplica } from './commands';
import { DbClient } from './db-client';
import { Outbox } from './outbox.svelte';
import { TabLeadership } from './tab-leadership';

export type Role = 'active' | 'follower';

const USER_ID_KEY = 'replica:userId';

export interface ReplicaStatus extends DbStatus {
	online: boolean;
	outboxPending: number;
	activeTabId: string | null;
}

export class Replica {
	readonly tabId = crypto.randomUUID();
	role = $state<Role>('follower');
	activeTabId = $state<string | null>(null);
	online = $state(navigator.onLine);
	/** Set while this tab's worker cannot open the database; cleared once it can. */
	openProblem = $state<string | null>(null);
	/** While this tab's worker rebuilds the replica's projections on open: how far it is. */
	rebuilding = $state<{ done: number; total: number } | null>(null);
	/** The signed-in user (from the session; remembered for offline starts). */
	userId = $state<string | null>(localStorage.getItem(USER_ID_KEY));
	readonly outbox = new Outbox();
	readonly #db = new DbClient();

	constructor() {
		setCommandReplica(this);
		this.#db.onRebuilding = ({ done, total }) => (this.rebuilding = done < total ? { done, total } : null);
	}

	async start() {
		void this.#loadSession();
		this.outbox.start();
		await holdUntilTabCloses(tabLock(this.tabId));
		const reportVisibility = () => this.#db.setHidden(document.visibilityState === 'hidden');
		reportVisibility();
		document.addEventListener('visibilitychange', reportVisibility);

		new TabLeadership(this.tabId, {
			onLeader: (port, epoch, leaderTabId) => {
				this.activeTabId = leaderTabId;
				this.#db.connect(port, epoch);
			},
			onRole: (role) => (this.role = role),
			onOpenProblem: (message) => (this.openProblem = message),
			onRebuild: (progress) => (this.rebuilding = progress)
		});

		// The DB worker's keepalive fetch reaches the service worker once it controls that worker (on a first visit,
		// after clients.claim(): tests/keepalive.spec.ts). The page's own message also wakes it, for browsers whose
		// claim() leaves dedicated workers alone; a hidden page's timer is throttled, so it is only a fallback.
		const wakeServiceWorker = () => navigator.serviceWorker?.controller?.postMessage('tail');
		void navigator.serviceWorker?.ready.then((registration) => registration.active?.postMessage('tail'));
		navigator.serviceWorker?.addEventListener('controllerchange', wakeServiceWorker);
		setInterval(wakeServiceWorker, KEEPALIVE_MS);
		// Back online: the tail asks again now rather than when its backoff ends (LiveTail.ensureRunning).
		addEventListener('online', () => {
			this.online = true;
			wakeServiceWorker();
		});
		addEventListener('offline', () => (this.online = false));
	}

	query(sql: string, params: SqlParams = []): Promise<Row[]> {
		return this.#db.call<Row[]>({ kind: 'query', sql, params });
	}

	subscribe(sql: string, params: SqlParams, onRows: (rows: Row[]) => void, onError: (message: string) => void) {
		return this.#db.subscribe({ sql, params, onRows, onError });
	}

	async status(): Promise<ReplicaStatus> {
		const db = await this.#db.call<DbStatus>({ kind: 'status' });
		return { ...db, online: this.online, outboxPending: this.outbox.pendingCount, activeTabId: this.activeTabId };
	}

	/** Re-derives every projection from the raw events; every tab's status bar shows the progress. */
	rebuild(): Promise<RebuildResult> {
		return this.#db.call<RebuildResult>({ kind: 'rebuild' });
	}

	/** Marks `channelId` read up to `position` (local state; idempotent, read marks never move back). */
	markRead(channelId: string, position: number): Promise<null> {
		return this.#db.call<null>({ kind: 'mark-read', channelId, position });
	}

	/**
	 * Makes the command durable in the outbox, then shows it at once: the active DB worker is asked directly for the
	 * optimistic row (the outbox broadcast would make it too, after a read-back of IndexedDB that costs tens of ms).
	 * Losing that request to a failover is harmless: the next leader derives the same row from the outbox. The
	 * outbox sends the command once the row is shown.
	 */
	async send(command: Command) {
		await this.outbox.send(command, this.userId ?? 'me', ({ authorId, createdAt }) =>
			this.#db.call({ kind: 'apply-pending', command, authorId, createdAt })
		);
	}

	async #loadSession() {
		try {
			const session = (await (await fetch('/api/session')).json()) as { userId: string };
			this.userId = session.userId;
			localStorage.setItem(USER_ID_KEY, session.userId);
		} catch {
			// Offline: the remembered id stands in; the server decides the author from the session cookie anyway.
		}
	}
}

/** Takes a lock that is released only when this tab goes away: its release is the tab's death notice. */
function holdUntilTabCloses(name: string): Promise<void> {
	return new Promise((granted) => {
		void navigator.locks.request(name, () => {
			granted();
			return new Promise<never>(() => {});
		});
	});
}
