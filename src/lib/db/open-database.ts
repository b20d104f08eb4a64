/**
 * Opens the replica's SQLite file on the OPFS SAH pool. Only the holder of WRITER_LOCK calls this, but the
 * previous holder's access handles can outlive its lock by ~100 ms (measured), so opening retries; the pool caches
 * a failed install per name, hence `forceReinitIfPreviouslyFailed` on every retry.
 *
 * Where OPFS does not exist (private browsing in some browsers) or refuses us for another reason than a busy
 * handle, the replica runs in memory: the app works, re-fetches the log on every start, and says so.
 */
import type { Database, SAHPoolUtil, Sqlite3Static } from '@sqlite.org/sqlite-wasm';
import type { StorageMode } from '#lib/shared/db-protocol.ts';

const POOL_NAME = 'replica-pool';
const DB_FILE = '/replica.sqlite3';
// Fine-grained at first: the previous holder's handles are usually released within ~100 ms of its lock.
const RETRY_DELAYS_MS = [5, 5, 5, 5, 5, 5, 5, 5, 10, 10, 10, 20, 40, 80, 160];
/** Failures other than "another tab still has the file" that we accept before giving up on OPFS. */
const OTHER_FAILURES_BEFORE_MEMORY = 3;

export interface OpenDatabase {
	db: Database;
	/** Absent for an in-memory replica. */
	pool?: SAHPoolUtil;
	storage: StorageMode;
	/** Why the replica is not on OPFS, for the banner. */
	storageProblem: string | null;
}

type InstallOptions = Parameters<Sqlite3Static['installOpfsSAHPoolVfs']>[0] & {
	forceReinitIfPreviouslyFailed?: boolean;
};

/**
 * Pragmas: EXCLUSIVE locking (one connection ever; skips lock calls on every transaction) with the default
 * rollback journal and synchronous=FULL, so a committed batch survives a crash of the tab; an 8 MB page cache bounds
 * memory however large the file grows.
 */
export const REPLICA_PRAGMAS = `
	PRAGMA locking_mode = EXCLUSIVE;
	PRAGMA synchronous = FULL;
	PRAGMA cache_size = -8000;
	PRAGMA temp_store = MEMORY;
`;

export async function openDatabase(
	sqlite3: Sqlite3Static,
	{ opfs, onRetry }: { opfs: boolean; onRetry: (error: unknown, elapsedMs: number) => void }
): Promise<OpenDatabase> {
	if (!opfs) return inMemory(sqlite3, 'this browser offers no private file system (OPFS) to this site');
	let otherFailures = 0;
	const started = performance.now();
	for (let attempt = 0; ; attempt++) {
		try {
			const options: InstallOptions = {
				name: POOL_NAME,
				// The database, its rollback journal, and a temp file: twice the files in use, as the pool asks.
				initialCapacity: 6,
				preserveOnInitFailure: true,
				forceReinitIfPreviouslyFailed: attempt > 0
			};
			const pool = await sqlite3.installOpfsSAHPoolVfs(options);
			if (pool.isPaused()) await pool.unpauseVfs();
			const db = new pool.OpfsSAHPoolDb(DB_FILE);
			db.exec(REPLICA_PRAGMAS);
			return { db, pool, storage: 'opfs', storageProblem: null };
		} catch (error) {
			if (!String(error).includes('NoModificationAllowedError') && ++otherFailures >= OTHER_FAILURES_BEFORE_MEMORY) {
				return inMemory(sqlite3, `the private file system refused the database (${String(error)})`);
			}
			onRetry(error, performance.now() - started);
			const delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)];
			await new Promise((resolve) => setTimeout(resolve, delay));
		}
	}
}

function inMemory(sqlite3: Sqlite3Static, reason: string): OpenDatabase {
	const db = new sqlite3.oo1.DB(':memory:');
	db.exec(REPLICA_PRAGMAS);
	return { db, storage: 'memory', storageProblem: `Working in memory: ${reason}. Nothing is kept after this visit.` };
}
