/**
 * The open replica of the active DB worker: the database, the inbox drain, the optimistic rows and the clients it
 * serves. `close()` stops every write path before closing the file, so nothing is written after a fence.
 */
import type { Sqlite3Static } from '@sqlite.org/sqlite-wasm';
import { hasNamespace, type CoordinatorToBroker } from '$lib/shared/coordinator-protocol';
import { INGEST_CHANNEL, openReplicaIdb } from '$lib/shared/idb';
import { isIngestMessage, type IngestMessage } from '$lib/shared/ingest-protocol';
import { forgetApplied } from '$lib/shared/outbox';
import { closeCore, migrate } from './core';
import { InboxDrain } from './inbox-drain';
import { LiveQueries } from './live-queries';
import { openDatabase } from './open-database';
import { reconcilePendingRows } from './pending-rows';
import { serveClient, type ClientPort } from './serve-client';
import { SqlReader } from './sql-reader';

/** Reports after this many failed opens; the worker keeps retrying regardless. */
const REPORT_AFTER_ATTEMPTS = 5;

export async function openReplica(sqlite3: Sqlite3Static, reportOpenProblem: (message: string) => void) {
	const { db, pool } = await openDatabase(sqlite3, (error, attempt) => {
		if (attempt + 1 === REPORT_AFTER_ATTEMPTS) {
			reportOpenProblem(`the database could not be opened yet (${String(error)}); retrying`);
		}
	});
	migrate(db);
	const idb = await openReplicaIdb();
	const reader = new SqlReader(sqlite3, db);
	const liveQueries = new LiveQueries(reader);
	const ingest = new BroadcastChannel(INGEST_CHANNEL);
	let open = true;

	const reconcile = async () => {
		if (open) liveQueries.refresh(await reconcilePendingRows(idb, db));
	};
	const drain = new InboxDrain({
		idb,
		db,
		isOpen: () => open,
		onApplied: async (result) => {
			liveQueries.refresh(result.changedTables);
			if (await forgetApplied(idb, result.appliedOffset)) await reconcile();
		},
		onGap: async (from) => {
			// Written here as well as sent: a stopped service worker misses the message but reads the cursor.
			await idb.put('meta', from, 'cursor');
			ingest.postMessage({ ns: 'replica-ingest', kind: 'refetch', from } satisfies IngestMessage);
		}
	});
	ingest.onmessage = ({ data }) => {
		if (!isIngestMessage(data)) return;
		if (data.kind === 'inbox') void drain.drain();
		if (data.kind === 'outbox') void reconcile();
	};
	await reconcile();
	void drain.drain();

	return {
		/** Serves every client port the coordinator sends on `broker`. */
		acceptClients(broker: ClientPort) {
			broker.onmessage = ({ data }) => {
				if (!hasNamespace<CoordinatorToBroker>(data, 'replica-coord')) return;
				serveClient(data.port, data.epoch, { db, reader, liveQueries, drain });
			};
		},
		close() {
			open = false;
			ingest.close();
			closeCore(db);
			db.close();
			pool.pauseVfs();
		}
	};
}
