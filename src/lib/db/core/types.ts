/**
 * The replica core's public types. The core takes an sqlite-wasm `oo1.DB` handle and knows nothing of OPFS,
 * workers or the DOM, so it runs unchanged in the browser's DB worker and in Node tests.
 */
import type { Database } from '@sqlite.org/sqlite-wasm';

/** Any sqlite-wasm oo1 database: `new sqlite3.oo1.DB(':memory:')`, an OPFS SAH pool DB, ... */
export type Db = Database;

/** One stream event as the ingest stored it. `event` came over the network: it is validated before use. */
export interface InboxEntry {
	offset: string;
	event: unknown;
}

export interface ApplyResult {
	/** The replica's applied offset after the batch (`-1` if nothing was ever applied). */
	appliedOffset: string;
	/** Events applied in this batch, control events included. */
	applied: number;
	/** Duplicates: offset <= applied offset, or a re-delivered command (see `claimTxid`). */
	skipped: number;
	/** Malformed events: recorded in `quarantine`, reported, and passed over (the applied offset moves past them). */
	quarantined: number;
	/** Every table this batch's transaction wrote, read models included (for the live-query engine). */
	changedTables: Set<string>;
	/**
	 * Set when an entry was not the successor of the applied offset: it and everything after it were left
	 * unapplied. The ingest must re-fetch from `appliedOffset` (the predecessor of `expected`).
	 */
	gap?: { expected: string; got: string };
}
