/**
 * Read-only SQL for pages and live queries. SQLite's authorizer reports, while a statement is prepared, every
 * table it reads; live queries use that set to re-run only when a transaction touched one of those tables.
 */
import type { Database, Sqlite3Static } from '@sqlite.org/sqlite-wasm';
import type { Row, SqlParams } from '#lib/shared/db-protocol.ts';

const SQLITE_READ = 20;

export interface ReadResult {
	rows: Row[];
	tables: Set<string>;
}

export class SqlReader {
	#tablesRead: Set<string> | undefined;

	constructor(
		private readonly sqlite3: Sqlite3Static,
		private readonly db: Database
	) {
		// One authorizer for the connection's life: it only records, never denies.
		sqlite3.capi.sqlite3_set_authorizer(
			db,
			(_ctx, action, table) => {
				if (action === SQLITE_READ && typeof table === 'string') this.#tablesRead?.add(table);
				return 0;
			},
			0
		);
	}

	/** Runs one read-only statement; anything that would write is refused before it runs. */
	read(sql: string, params: SqlParams): ReadResult {
		const tables = new Set<string>();
		this.#tablesRead = tables;
		let stmt;
		try {
			stmt = this.db.prepare(sql);
		} finally {
			this.#tablesRead = undefined;
		}
		try {
			if (!this.sqlite3.capi.sqlite3_stmt_readonly(stmt)) {
				throw new Error('sql: only read-only statements are allowed here; change data with commands');
			}
			if (params.length > 0) stmt.bind([...params]);
			const rows: Row[] = [];
			while (stmt.step()) rows.push(stmt.get({}) as Row);
			return { rows, tables };
		} finally {
			stmt.finalize();
		}
	}
}
