/**
 * Read-only SQL for pages and live queries. SQLite's authorizer reports, while a statement is prepared, every
 * table and column it reads; live queries compare that with what a transaction changed (ChangeTracker) to re-run
 * only when it matters. A live query keeps its statement prepared, so a re-run costs only the steps.
 */
import type { Database, PreparedStatement, Sqlite3Static } from '@sqlite.org/sqlite-wasm';
import type { Row, SqlParams } from '#lib/shared/db-protocol.ts';

const SQLITE_INTEGER = 1;
const SQLITE_FLOAT = 2;
const SQLITE_TEXT = 3;
const SQLITE_NULL = 5;
const SQLITE_OK = 0;
const SQLITE_DENY = 1;
const SQLITE_PRAGMA = 19;
const SQLITE_READ = 20;
const SQLITE_SELECT = 21;
const SQLITE_FUNCTION = 31;
const SQLITE_RECURSIVE = 33;
/** What a read may do. sqlite3_stmt_readonly() alone lets BEGIN, SAVEPOINT, ATTACH and pragmas through. */
const READ_ACTIONS = new Set([SQLITE_READ, SQLITE_SELECT, SQLITE_FUNCTION, SQLITE_RECURSIVE]);
/** Pragmas that only report (devtools); any other pragma, or one of these given a value, is refused. */
const REPORTING_PRAGMAS = new Set([
	'user_version',
	'schema_version',
	'data_version',
	'page_count',
	'page_size',
	'freelist_count',
	'encoding',
	'journal_mode',
	'table_list',
	'database_list',
	'compile_options',
	'integrity_check',
	'quick_check'
]);
/** Pragmas that report on the table or index they name. */
const REPORTING_PRAGMAS_OF_A_NAME = new Set([
	'table_info',
	'table_xinfo',
	'index_list',
	'index_info',
	'index_xinfo',
	'foreign_key_list',
	'table_list',
	'integrity_check',
	'quick_check'
]);
const utf8 = new TextDecoder();

/** The columns a statement reads, by table. An empty name means the statement reads rows but no column of them. */
export type ColumnsRead = Map<string, Set<string>>;

/**
 * One prepared read-only statement; `finalize()` it when done.
 *
 * Rows are read through sqlite-wasm's raw exports with the column names read once: `stmt.get({})` decodes every
 * column's name again on every row and checks each call's arguments, which made reading a timeline page of 100
 * rows cost ~2.4x as much (Node, in memory). Values come out as `get()` gives them: integers as numbers, or as
 * BigInt beyond 2^53; blobs take sqlite-wasm's own path.
 */
export class PreparedRead {
	#names: string[];

	constructor(
		private readonly sqlite3: Sqlite3Static,
		private readonly stmt: PreparedStatement,
		readonly reads: ColumnsRead
	) {
		this.#names = stmt.getColumnNames();
	}

	run(params: SqlParams): Row[] {
		const { stmt } = this;
		try {
			if (params.length > 0) stmt.bind([...params]);
			const rows: Row[] = [];
			while (stmt.step()) {
				// A statement re-prepared by SQLite after a schema change may have other columns (known once stepped).
				if (rows.length === 0 && stmt.columnCount !== this.#names.length) this.#names = stmt.getColumnNames();
				rows.push(this.#row());
			}
			return rows;
		} finally {
			stmt.reset(true);
		}
	}

	finalize() {
		this.stmt.finalize();
	}

	#row(): Row {
		const { stmt } = this;
		const { exports, heap8u } = this.sqlite3.wasm;
		const pointer = stmt.pointer;
		const row: Row = {};
		for (let i = 0; i < this.#names.length; i++) {
			const type = exports.sqlite3_column_type(pointer, i);
			let value: unknown;
			if (type === SQLITE_NULL) value = null;
			else if (type === SQLITE_FLOAT) value = exports.sqlite3_column_double(pointer, i);
			else if (type === SQLITE_INTEGER) {
				const asDouble: number = exports.sqlite3_column_double(pointer, i);
				value = Number.isSafeInteger(asDouble) ? asDouble : (exports.sqlite3_column_int64(pointer, i) as bigint);
			} else if (type === SQLITE_TEXT) {
				const text: number = exports.sqlite3_column_text(pointer, i);
				value = utf8.decode(heap8u().subarray(text, text + exports.sqlite3_column_bytes(pointer, i)));
			} else value = stmt.get(i);
			row[this.#names[i]] = value;
		}
		return row;
	}
}

/** The authorizer's verdict on one action of a statement being prepared for reading. */
function mayRead(action: number, name: unknown, argument: unknown): boolean {
	if (READ_ACTIONS.has(action)) return true;
	if (action !== SQLITE_PRAGMA || typeof name !== 'string') return false;
	const pragma = name.toLowerCase();
	// sqlite-wasm passes a missing argument as a null pointer, 0.
	return typeof argument === 'string' ? REPORTING_PRAGMAS_OF_A_NAME.has(pragma) : REPORTING_PRAGMAS.has(pragma);
}

const REFUSED =
	'sql: only read-only statements are allowed here (no writes, transactions or ATTACH; of the pragmas, only those ' +
	`that report: ${[...new Set([...REPORTING_PRAGMAS, ...REPORTING_PRAGMAS_OF_A_NAME])].join(', ')}); ` +
	'change data with commands';

export class SqlReader {
	/** Set only while one of this reader's statements is prepared: other statements of the connection are not ours. */
	#preparing: { reads: ColumnsRead; refused: boolean } | undefined;

	constructor(
		private readonly sqlite3: Sqlite3Static,
		private readonly db: Database
	) {
		// One authorizer for the connection's life. It records what a read reads, and refuses what a read must not do:
		// a BEGIN left open by a page would hold every later write of the replica in a transaction that never ends.
		sqlite3.capi.sqlite3_set_authorizer(
			db,
			(_ctx, action, first, second) => {
				const preparing = this.#preparing;
				if (!preparing) return SQLITE_OK;
				if (!mayRead(action, first, second)) {
					preparing.refused = true;
					return SQLITE_DENY;
				}
				if (action !== SQLITE_READ || typeof first !== 'string') return SQLITE_OK;
				let columns = preparing.reads.get(first);
				if (!columns) preparing.reads.set(first, (columns = new Set()));
				columns.add(typeof second === 'string' ? second : '');
				return SQLITE_OK;
			},
			0
		);
	}

	/** Prepares one read-only statement; anything that would write or open a transaction is refused before it runs. */
	prepare(sql: string): PreparedRead {
		const preparing = (this.#preparing = { reads: new Map(), refused: false });
		let stmt;
		try {
			stmt = this.db.prepare(sql);
		} catch (error) {
			throw preparing.refused ? new Error(REFUSED) : error;
		} finally {
			this.#preparing = undefined;
		}
		if (!this.sqlite3.capi.sqlite3_stmt_readonly(stmt)) {
			stmt.finalize();
			throw new Error(REFUSED);
		}
		return new PreparedRead(this.sqlite3, stmt, preparing.reads);
	}

	/** Runs one read-only statement once. */
	read(sql: string, params: SqlParams): Row[] {
		const prepared = this.prepare(sql);
		try {
			return prepared.run(params);
		} finally {
			prepared.finalize();
		}
	}
}
