/**
 * The page's end of the port to the active DB worker. Failover rule: the port carries only reads (queries,
 * status, live-query subscriptions), so every request still unanswered when a new leader arrives is re-sent to it,
 * and every subscription is re-made there; writes never travel this port (they are commands, see the outbox).
 * Nothing hangs: a request that no leader answers within REQUEST_TIMEOUT_MS fails with an error saying why.
 */
import { isDbReply, type DbReply, type DbRequest, type Row, type SqlParams } from '$lib/shared/db-protocol';

export const REQUEST_TIMEOUT_MS = 15_000;

type Unsent<T> = T extends unknown ? Omit<T, 'epoch' | 'ns'> : never;
type Call = Unsent<Extract<DbRequest, { id: number }>>;

interface PendingCall {
	call: Call;
	resolve: (value: unknown) => void;
	reject: (error: Error) => void;
	timer: ReturnType<typeof setTimeout>;
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

export class DbClient {
	#port: LeaderPort | undefined;
	#epoch = 0;
	#nextId = 1;
	readonly #pending = new Map<number, PendingCall>();
	readonly #subscribers = new Map<number, LiveSubscriber>();

	/** Switches to the port of a new leader; re-sends what the old one left unanswered. */
	connect(port: LeaderPort, epoch: number) {
		this.#port?.close();
		this.#port = port;
		this.#epoch = epoch;
		port.onmessage = ({ data }) => {
			if (isDbReply(data)) this.#onReply(data);
		};
		for (const { call } of this.#pending.values()) this.#post(call);
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
			this.#pending.set(id, { call: full, resolve: resolve as (value: unknown) => void, reject, timer });
			this.#post(full);
		});
	}

	subscribe(subscriber: LiveSubscriber): () => void {
		const subId = this.#nextId++;
		this.#subscribers.set(subId, subscriber);
		this.#post({ kind: 'subscribe', subId, sql: subscriber.sql, params: subscriber.params });
		return () => {
			this.#subscribers.delete(subId);
			this.#post({ kind: 'unsubscribe', subId });
		};
	}

	#post(message: Unsent<DbRequest>) {
		this.#port?.postMessage({ ...message, ns: 'replica-db', epoch: this.#epoch } as DbRequest);
	}

	#onReply(reply: DbReply) {
		if (reply.kind === 'rows' || reply.kind === 'subscription-error') {
			const subscriber = this.#subscribers.get(reply.subId);
			if (reply.kind === 'rows') subscriber?.onRows(reply.rows);
			else subscriber?.onError(reply.message);
			return;
		}
		const pending = this.#pending.get(reply.id);
		if (!pending) return;
		this.#pending.delete(reply.id);
		clearTimeout(pending.timer);
		if (reply.kind === 'result') pending.resolve(reply.value);
		else pending.reject(new Error(reply.message));
	}
}
