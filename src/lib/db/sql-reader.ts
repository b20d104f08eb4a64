/**
 * Read-only SQL for pages and live queries. SQLite's authorizer reports, while a statement is prepared, every
 * table and column it reads; live queries compare that with what a transaction changed (ChangeTracker) to re-run
 * only when it matters. A live query keeps its statement prepared, so a re-run costs only the steps.
 */
import type { Database, PreparedStatement, Sqlite3Static } from '@sqlite.org/sqlite-wasm';
import type { Row, SqlParams } from '#lib/shared/db-protocol.ts';

const SQLITE_READ = 20;

/** The columns a statement reads, by table. An empty name means the statement reads rows but no column of them. */
export type ColumnsRead = Map<string, Set<string>>;

/** One prepared read-only statement; `finalize()` it when done. */
export class PreparedRead {
	constructor(
		private readonly stmt: PreparedStatement,
		readonly reads: ColumnsRead
	) {}

	run(params: SqlParams): Row[] {
		try {
			if (params.length > 0) this.stmt.bind([...params]);
			const rows: Row[] = [];
			while (this.stmt.step()) rows.push(this.stmt.get({}) as Row);
			return rows;
		} finally {
			this.stmt.reset(true);
		}
	}

	finalize() {
		this.stmt.finalize();
	}
}

export class SqlReader {
	#reads: ColumnsRead | undefined;

	constructor(
		private readonly sqlite3: Sqlite3Static,
		private readonly db: Database
	) {
		// One authorizer for the connection's life: it only records, never denies.
		sqlite3.capi.sqlite3_set_authorizer(
			db,
			(_ctx, action, table, column) => {
				if (action !== SQLITE_READ || typeof table !== 'string' || !this.#reads) return 0;
				let columns = this.#reads.get(table);
				if (!columns) this.#reads.set(table, (columns = new Set()));
				columns.add(typeof column === 'string' ? column : '');
				return 0;
			},
			0
		);
	}

	/** Prepares one read-only statement; anything that would write is refused before it runs. */
	prepare(sql: string): PreparedRead {
		const reads: ColumnsRead = new Map();
		this.#reads = reads;
		let stmt;
		try {
			stmt = this.db.prepare(sql);
		} finally {
			this.#reads = undefined;
		}
		if (!this.sqlite3.capi.sqlite3_stmt_readonly(stmt)) {
			stmt.finalize();
			throw new Error('sql: only read-only statements are allowed here; change data with commands');
		}
		return new PreparedRead(stmt, reads);
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
