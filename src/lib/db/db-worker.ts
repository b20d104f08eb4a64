/**
 * The DB worker of one tab. Every tab's worker loads sqlite-wasm at once (warm standby) so that a failover costs
 * only opening the pool; it takes the writer lock when its page tells it to claim. Invariant: the SQLite file is
 * open only while this worker holds the writer lock; if another tab steals the lock (this worker was
 * unresponsive), the worker closes the file as soon as it notices (at the latest when it has finished opening) and
 * never writes again. Until then the stealer cannot open the file: the SAH pool's access handles are exclusive.
 */
import sqlite3InitModule, { type Sqlite3Static } from '@sqlite.org/sqlite-wasm';
import {
	hasNamespace,
	HEARTBEAT_MS,
	type BrokerToCoordinator,
	type DbWorkerToPage,
	type PageToDbWorker
} from '#lib/shared/coordinator-protocol.ts';
import { KEEPALIVE_MS, KEEPALIVE_PATH } from '#lib/shared/ingest-protocol.ts';
import { WRITER_LOCK } from '#lib/shared/lock-names.ts';
import { closeCore, migrate } from './core';
import { REPLICA_PRAGMAS } from './open-database';
import { openReplica } from './replica-session';
import { SqlReader } from './sql-reader';

export function startDbWorker(scope: DedicatedWorkerGlobalScope) {
	let granted = false;
	const sqlite3 = sqlite3InitModule().then((loaded) => {
		// Only a standby warms up: a worker that holds the lock already opens the real file next, and would wait.
		if (!granted) warmUp(loaded);
		return loaded;
	});
	// A failed load is reported by the claim that awaits it.
	sqlite3.then(
		() => scope.postMessage({ ns: 'replica-worker', kind: 'warm' } satisfies DbWorkerToPage),
		() => {}
	);
	keepServiceWorkerAwake();
	/** This worker's place in the writer lock's queue: none, a withdrawable standby, or a claim. */
	let queued: { steal: boolean; withdraw?: AbortController } | undefined;
	const request = (steal: boolean, opfs: boolean) => {
		queued?.withdraw?.abort();
		queued = { steal, withdraw: steal ? undefined : new AbortController() };
		void lead(scope, sqlite3, { steal, opfs, signal: queued.withdraw?.signal, onGranted: () => (granted = true) });
	};
	scope.onmessage = ({ data }) => {
		if (!hasNamespace<PageToDbWorker>(data, 'replica-worker') || granted) return;
		if (data.kind === 'stand-down') {
			queued?.withdraw?.abort();
			queued = undefined;
		} else if (!queued || (data.kind === 'claim' && data.steal && !queued.steal)) {
			request(data.kind === 'claim' && data.steal, data.opfs);
		}
	};
}

interface LeadOptions {
	steal: boolean;
	opfs: boolean;
	signal?: AbortSignal;
	onGranted: () => void;
}

async function lead(
	scope: DedicatedWorkerGlobalScope,
	sqlite3Ready: ReturnType<typeof sqlite3InitModule>,
	{ steal, opfs, signal, onGranted }: LeadOptions
) {
	const post = (message: DbWorkerToPage, transfer: Transferable[] = []) => scope.postMessage(message, transfer);
	let fence: () => void = () => {};
	const fenced = new Promise<void>((resolve) => (fence = resolve));

	const held = navigator.locks.request(WRITER_LOCK, signal ? { signal } : { steal }, async () => {
		onGranted();
		let session;
		try {
			session = await openReplica(await sqlite3Ready, {
				opfs,
				reportOpenProblem: (message) => post({ ns: 'replica-worker', kind: 'open-failed', message }),
				reportRebuild: (done, total) => post({ ns: 'replica-worker', kind: 'rebuilding', done, total })
			});
		} catch (error) {
			// Say why, and let go: the page starts a fresh worker and the election tries again.
			post({ ns: 'replica-worker', kind: 'open-failed', message: `the replica could not be opened: ${String(error)}` });
			post({ ns: 'replica-worker', kind: 'fenced' });
			return;
		}
		const broker = new MessageChannel();
		session.acceptClients(broker.port1);
		const heartbeat = setInterval(
			() => broker.port1.postMessage({ ns: 'replica-coord', kind: 'heartbeat' } satisfies BrokerToCoordinator),
			HEARTBEAT_MS
		);
		post({ ns: 'replica-worker', kind: 'active', broker: broker.port2 }, [broker.port2]);
		await fenced;
		clearInterval(heartbeat);
		broker.port1.close();
		session.close();
		post({ ns: 'replica-worker', kind: 'fenced' });
	});
	// Settles only when the request is withdrawn before it was granted (a standby standing down), or when the
	// lock is stolen from us; both reject with AbortError. A granted lock is held until this worker is terminated.
	held.catch(() => fence());
}

/**
 * Runs the open path once on an in-memory database: the engine compiles each WebAssembly function on its first
 * call, and a new leader that opened, migrated and read for the first time spent ~30–45 ms of its failover on
 * that (measured: pool installed → database open went from ~35 ms to ~4 ms).
 */
function warmUp(sqlite3: Sqlite3Static) {
	const db = new sqlite3.oo1.DB(':memory:');
	try {
		db.exec(REPLICA_PRAGMAS);
		migrate(db);
		new SqlReader(sqlite3, db).read('SELECT * FROM timeline_rows WHERE channel_id = ? LIMIT 1', ['']);
	} catch (error) {
		// Only an optimisation: the real open reports whatever is wrong.
		console.warn('[db-worker] warming sqlite-wasm up failed', error);
	} finally {
		closeCore(db);
		db.close();
	}
}

/**
 * A service worker is stopped by the browser when idle, even while tabs are open; a dedicated worker's periodic
 * fetch, answered by the service worker, keeps it alive even in hidden tabs (measured; see shared/ENVIRONMENT.md, "Lifetimes").
 */
function keepServiceWorkerAwake() {
	const ping = () => void fetch(KEEPALIVE_PATH, { cache: 'no-store' }).catch(() => {});
	ping();
	setInterval(ping, KEEPALIVE_MS);
}
