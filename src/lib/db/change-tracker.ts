/**
 * What each transaction changed, as SQLite itself reports it: the preupdate hook fires for every row that any
 * statement or trigger inserts, updates or deletes, WITHOUT ROWID tables included (the update hook skips those).
 * For updates it also tells which columns changed, so a live query that reads none of them need not re-run.
 *
 * Invariant: take() reports at least every (table, column) changed since the previous take(); it may report more
 * (a rolled-back change, or "every column" once a transaction is too big to compare column by column), never less.
 */
import type { Database, Sqlite3Static, WasmPointer } from '@sqlite.org/sqlite-wasm';

const SQLITE_UPDATE = 23;
/** Stands for an update that changed a rowid: a query may read rowids under any name, so it changes every column. */
const MOVED_ROW = -1;
/** Updated rows compared column by column per transaction; past this, an updated table counts as wholly changed. */
const COMPARED_ROWS_LIMIT = 200;
/** FTS5 keeps its index in shadow tables named `<table>_data`, `_idx`, ...: a change there is a change of `<table>`. */
const SHADOW_SUFFIX = /_(data|idx|content|docsize|config)$/;

/** Changed columns by index, or every column. */
type ChangedColumns = Set<number> | 'all';
/** Changed tables, each with the names of its changed columns (or 'all' for inserts, deletes and big updates). */
export type Changes = Map<string, Set<string> | 'all'>;

export class ChangeTracker {
	readonly #sqlite3: Sqlite3Static;
	readonly #db: Database;
	readonly #hook: WasmPointer;
	/** Table-name pointers seen in this transaction. Names are only read once per table, never per row. */
	#names = new Map<WasmPointer, string>();
	#changed = new Map<string, ChangedColumns>();
	#comparedRows = 0;
	#schemaVersion: number;
	readonly #columnNames = new Map<string, string[] | null>();

	constructor(sqlite3: Sqlite3Static, db: Database) {
		this.#sqlite3 = sqlite3;
		this.#db = db;
		this.#schemaVersion = this.#readSchemaVersion();
		// Installed raw: the wrapped form of the hook decodes both name strings on every row, which triples the
		// cost of a bulk insert (measured in Node: ~2 µs per row against ~0 for this one).
		this.#hook = sqlite3.wasm.installFunction(
			'v(ppippjj)',
			(
				_ctx: WasmPointer,
				pDb: WasmPointer,
				op: number,
				_zDb: WasmPointer,
				zTable: WasmPointer,
				oldKey: bigint,
				newKey: bigint
			) => this.#record(pDb, op === SQLITE_UPDATE && oldKey !== newKey ? MOVED_ROW : op, zTable)
		);
		sqlite3.wasm.exports.sqlite3_preupdate_hook(db.pointer, this.#hook, 0);
	}

	/**
	 * The changes since the last call; every table counts as changed when the schema changed meanwhile (a
	 * migration or rebuild: table-name pointers may have been reused, and column positions may have moved).
	 */
	take(): Changes | 'everything' {
		const changed = this.#changed;
		this.#changed = new Map();
		this.#names = new Map();
		this.#comparedRows = 0;
		const schemaVersion = this.#readSchemaVersion();
		if (schemaVersion !== this.#schemaVersion) {
			this.#schemaVersion = schemaVersion;
			this.#columnNames.clear();
			return 'everything';
		}
		const changes: Changes = new Map();
		for (const [table, columns] of changed) {
			const named = columns === 'all' ? 'all' : this.#named(table, columns);
			changes.set(table, named);
			const virtualTable = table.replace(SHADOW_SUFFIX, '');
			if (virtualTable !== table) changes.set(virtualTable, 'all');
		}
		return changes;
	}

	/** Removes the hook; call before closing the database. */
	close() {
		this.#sqlite3.wasm.exports.sqlite3_preupdate_hook(this.#db.pointer, 0, 0);
		this.#sqlite3.wasm.uninstallFunction(this.#hook);
	}

	#record(pDb: WasmPointer, op: number, zTable: WasmPointer) {
		let table = this.#names.get(zTable);
		if (table === undefined) this.#names.set(zTable, (table = this.#sqlite3.wasm.cstrToJs(zTable) ?? ''));
		const known = this.#changed.get(table);
		if (known === 'all') return;
		if (op !== SQLITE_UPDATE || this.#comparedRows >= COMPARED_ROWS_LIMIT) {
			this.#changed.set(table, 'all');
			return;
		}
		this.#comparedRows++;
		const columns = known ?? new Set<number>();
		const { capi } = this.#sqlite3;
		const count = capi.sqlite3_preupdate_count(pDb);
		for (let i = 0; i < count; i++) {
			if (columns.has(i)) continue;
			if (!sameValue(capi.sqlite3_preupdate_old_js(pDb, i), capi.sqlite3_preupdate_new_js(pDb, i))) columns.add(i);
		}
		this.#changed.set(table, columns);
	}

	/**
	 * Column indexes → names. A table with hidden or generated columns counts as wholly changed: how those are
	 * numbered in the hook is not worth relying on for the few tables that have them (raw_events).
	 */
	#named(table: string, columns: Set<number>): Set<string> | 'all' {
		let names = this.#columnNames.get(table);
		if (names === undefined) {
			const info = this.#db.selectObjects('SELECT name, hidden FROM pragma_table_xinfo(?)', [table]);
			names = info.some((column) => column.hidden !== 0) ? null : info.map((column) => String(column.name));
			this.#columnNames.set(table, names);
		}
		if (names === null) return 'all';
		const named = new Set<string>();
		for (const index of columns) {
			const name = names[index];
			if (name === undefined) return 'all';
			named.add(name);
		}
		return named;
	}

	#readSchemaVersion(): number {
		return Number(this.#db.selectValue('PRAGMA schema_version'));
	}
}

function sameValue(a: unknown, b: unknown): boolean {
	if (a instanceof Uint8Array && b instanceof Uint8Array) {
		return a.length === b.length && a.every((byte, i) => byte === b[i]);
	}
	return a === b;
}
