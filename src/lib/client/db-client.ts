/**
 * The page's end of the port to the active DB worker.
 *
 * Failover rule, when a new leader (epoch) arrives:
 * - reads (queries, status) still unanswered are re-sent to it, and every live query is re-subscribed there;
 * - a write (WRITE_KINDS) that was never posted to the old leader is sent to the new one: it provably never ran;
 * - a write that was posted but not answered is in an unknown state (the old leader may have committed it before
 *   dying): it fails with LeaderChangedError, and the caller decides (every write here is idempotent, so retrying
 *   is safe). Commands for the server never travel this port: they go through the outbox.
 * Nothing hangs: a request that no leader answers within REQUEST_TIMEOUT_MS fails with an error saying why.
 */
import {
	isDbReply,
	WRITE_KINDS,
	type DbReply,
	type DbRequest,
	type Row,
	type SqlParams
} from '#lib/shared/db-protocol.ts';
import { patchRows } from '#lib/shared/row-diff.ts';

export const REQUEST_TIMEOUT_MS = 15_000;

type Unsent<T> = T extends unknown ? Omit<T, 'epoch' | 'ns'> : never;
type Call = Unsent<Extract<DbRequest, { id: number }>>;

interface PendingCall {
	call: Call;
	resolve: (value: unknown) => void;
	reject: (error: Error) => void;
	timer: ReturnType<typeof setTimeout>;
	/** True once posted to a leader; decides what a failover does with an unanswered write. */
	posted: boolean;
}

export class LeaderChangedError extends Error {
	constructor(kind: string) {
		super(
			`replica: the active tab changed while "${kind}" was in flight, so it may or may not have been applied; read the current state and retry if needed`
		);
		this.name = 'LeaderChangedError';
	}
}

/** The page's line to the active DB worker: a MessagePort, or BroadcastElection's stand-in for one. */
export interface LeaderPort {
	postMessage(data: unknown): void;
	onmessage: ((event: MessageEvent) => void) | null;
	close(): void;
}

export interface LiveSubscriber {
	sql: string;
	params: SqlParams;
	onRows: (rows: Row[]) => void;
	onError: (message: string) => void;
}

interface Subscription extends LiveSubscriber {
	/** The current result, which diffs patch; a (re)subscription starts from a whole result. */
	rows: Row[];
}

export class DbClient {
	/** Told how far a rebuild of the replica is, whichever tab asked for it. */
	onRebuilding: ((progress: { done: number; total: number }) => void) | undefined;
	#port: LeaderPort | undefined;
	#epoch = 0;
	#nextId = 1;
	readonly #pending = new Map<number, PendingCall>();
	readonly #subscribers = new Map<number, Subscription>();
	#hidden = false;

	/** Switches to the port of a new leader; re-sends what the old one left unanswered. */
	connect(port: LeaderPort, epoch: number) {
		this.#port?.close();
		this.#port = port;
		this.#epoch = epoch;
		port.onmessage = ({ data }) => {
			if (isDbReply(data)) this.#onReply(data);
		};
		for (const [id, pending] of this.#pending) {
			if (pending.posted && WRITE_KINDS.has(pending.call.kind))
				this.#settle(id, new LeaderChangedError(pending.call.kind));
			else this.#send(pending);
		}
		if (this.#hidden) this.#post({ kind: 'visibility', hidden: true });
		for (const [subId, { sql, params }] of this.#subscribers) this.#post({ kind: 'subscribe', subId, sql, params });
	}

	get epoch() {
		return this.#epoch;
	}

	call<T>(call: Call extends infer C ? (C extends unknown ? Omit<C, 'id'> : never) : never): Promise<T> {
		const id = this.#nextId++;
		const full = { ...call, id } as Call;
		return new Promise<T>((resolve, reject) => {
			const timer = setTimeout(() => {
				this.#pending.delete(id);
				reject(
					new Error(
						`replica: no active tab answered within ${REQUEST_TIMEOUT_MS / 1000} s (${this.#port ? 'the database is busy or could not be opened' : 'no tab has opened the database yet'}); try again`
					)
				);
			}, REQUEST_TIMEOUT_MS);
			const pending: PendingCall = {
				call: full,
				resolve: resolve as (value: unknown) => void,
				reject,
				timer,
				posted: false
			};
			this.#pending.set(id, pending);
			this.#send(pending);
		});
	}

	subscribe(subscriber: LiveSubscriber): () => void {
		const subId = this.#nextId++;
		this.#subscribers.set(subId, { ...subscriber, rows: [] });
		this.#post({ kind: 'subscribe', subId, sql: subscriber.sql, params: subscriber.params });
		return () => {
			this.#subscribers.delete(subId);
			this.#post({ kind: 'unsubscribe', subId });
		};
	}

	/** While hidden, the leader only marks this tab's live queries stale, and refreshes them when it shows. */
	setHidden(hidden: boolean) {
		this.#hidden = hidden;
		this.#post({ kind: 'visibility', hidden });
	}

	#send(pending: PendingCall) {
		if (!this.#port) return;
		this.#post(pending.call);
		pending.posted = true;
	}

	#settle(id: number, outcome: { value: unknown } | Error) {
		const pending = this.#pending.get(id);
		if (!pending) return;
		this.#pending.delete(id);
		clearTimeout(pending.timer);
		if (outcome instanceof Error) pending.reject(outcome);
		else pending.resolve(outcome.value);
	}

	#post(message: Unsent<DbRequest>) {
		this.#port?.postMessage({ ...message, ns: 'replica-db', epoch: this.#epoch } as DbRequest);
	}

	#onReply(reply: DbReply) {
		if (reply.kind === 'rebuilding') return this.onRebuilding?.(reply);
		if (reply.kind === 'rows' || reply.kind === 'rows-diff' || reply.kind === 'subscription-error') {
			const subscription = this.#subscribers.get(reply.subId);
			if (!subscription) return;
			if (reply.kind === 'subscription-error') return subscription.onError(reply.message);
			subscription.rows = reply.kind === 'rows' ? reply.rows : patchRows(subscription.rows, reply.diff);
			return subscription.onRows(subscription.rows);
		}
		this.#settle(reply.id, reply.kind === 'result' ? { value: reply.value } : new Error(reply.message));
	}
}
