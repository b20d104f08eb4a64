/**
 * A raw Chrome DevTools Protocol client over Node's global WebSocket, connected to the browser endpoint. It attaches
 * only to the page targets it is asked for (flattened sessions) and never calls `Target.setAutoAttach`, so no
 * DevTools session ever attaches to a service worker or a dedicated worker: Chrome's service-worker timeouts stay
 * on, unlike under Playwright (see ENVIRONMENT.md, "Lifetimes").
 */

type Params = Record<string, unknown>;
type Listener = (params: Params) => void;

interface Pending {
	method: string;
	resolve(result: Params): void;
	reject(error: Error): void;
}

export class CdpConnection {
	readonly #socket: WebSocket;
	readonly #pending = new Map<number, Pending>();
	readonly #listeners = new Map<string, Set<Listener>>();
	#nextId = 1;

	private constructor(socket: WebSocket) {
		this.#socket = socket;
		socket.addEventListener('message', ({ data }) => this.#receive(String(data)));
		socket.addEventListener('close', () => {
			for (const { method, reject } of this.#pending.values()) reject(new Error(`CDP ${method}: connection closed`));
			this.#pending.clear();
		});
	}

	static connect(url: string): Promise<CdpConnection> {
		const socket = new WebSocket(url);
		return new Promise((resolve, reject) => {
			socket.addEventListener('open', () => resolve(new CdpConnection(socket)), { once: true });
			socket.addEventListener('error', () => reject(new Error(`CDP: cannot connect to ${url}`)), { once: true });
		});
	}

	/** Sends a command to the browser, or to the attached target `sessionId`. */
	send<T = Params>(method: string, params: Params = {}, sessionId?: string): Promise<T> {
		const id = this.#nextId++;
		this.#socket.send(JSON.stringify({ id, method, params, sessionId }));
		return new Promise<Params>((resolve, reject) => this.#pending.set(id, { method, resolve, reject })) as Promise<T>;
	}

	/** Calls `listener` for every `method` event (of any session); returns the function that stops it. */
	on(method: string, listener: Listener): () => void {
		const listeners = this.#listeners.get(method) ?? new Set();
		this.#listeners.set(method, listeners.add(listener));
		return () => listeners.delete(listener);
	}

	close(): void {
		this.#socket.close();
	}

	#receive(text: string) {
		const message = JSON.parse(text) as {
			id?: number;
			method?: string;
			params?: Params;
			result?: Params;
			error?: Params;
		};
		if (message.id === undefined) {
			for (const listener of this.#listeners.get(message.method ?? '') ?? []) listener(message.params ?? {});
			return;
		}
		const pending = this.#pending.get(message.id);
		this.#pending.delete(message.id);
		if (!pending) return;
		if (message.error) pending.reject(new Error(`CDP ${pending.method}: ${JSON.stringify(message.error)}`));
		else pending.resolve(message.result ?? {});
	}
}
