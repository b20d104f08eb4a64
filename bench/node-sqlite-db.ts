/**
 * The slice of the sqlite-wasm oo1 API that the replica core uses, over Node's built-in `node:sqlite`, so the same
 * projection SQL (schema, triggers, upserts) can be timed on native SQLite. Only for the bench: it implements just
 * what the core calls, with oo1's semantics for those calls.
 */
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { Db } from '../src/lib/db/core/types.ts';

type Bind = SQLInputValue[] | undefined;

class NodeStatement {
	#params: SQLInputValue[] = [];
	#row: unknown[] | undefined;
	readonly #statement: StatementSync;
	readonly #returnsRows: boolean;

	constructor(statement: StatementSync) {
		this.#statement = statement;
		this.#statement.setReturnArrays(true);
		this.#returnsRows = statement.columns().length > 0;
	}

	bind(params: SQLInputValue[]) {
		this.#params = params;
		return this;
	}

	/** oo1's step(): true while a row is available. Only the first row of a query is ever read by the core. */
	step(): boolean {
		if (!this.#returnsRows) {
			this.#statement.run(...this.#params);
			return false;
		}
		this.#row = this.#statement.get(...this.#params) as unknown[] | undefined;
		return this.#row !== undefined;
	}

	stepReset() {
		this.step();
		return this.reset();
	}

	get(column: number) {
		return this.#row?.[column];
	}

	reset(clearBindings = false) {
		this.#row = undefined;
		if (clearBindings) this.#params = [];
		return this;
	}

	finalize() {}
}

/** An in-memory (or file) node:sqlite database that the core accepts as its `Db`. */
export function openNodeSqliteDb(path = ':memory:'): Db {
	const db = new DatabaseSync(path);
	const changes = db.prepare('SELECT changes()');
	changes.setReturnArrays(true);
	const rows = (sql: string, bind: Bind) => {
		const statement = db.prepare(sql);
		statement.setReturnArrays(true);
		return statement.all(...(bind ?? [])) as unknown as unknown[][];
	};
	const adapter = {
		exec(sql: string | { sql: string; bind?: Bind }) {
			if (typeof sql === 'string') db.exec(sql);
			else db.prepare(sql.sql).run(...(sql.bind ?? []));
			return adapter;
		},
		prepare: (sql: string) => new NodeStatement(db.prepare(sql)),
		changes: () => Number((changes.get() as unknown as unknown[])[0]),
		transaction<T>(modeOrCallback: string | (() => T), maybeCallback?: () => T): T {
			const [mode, callback] =
				typeof modeOrCallback === 'string' ? [modeOrCallback, maybeCallback as () => T] : ['', modeOrCallback];
			db.exec(`BEGIN ${mode}`);
			try {
				const result = callback();
				db.exec('COMMIT');
				return result;
			} catch (error) {
				db.exec('ROLLBACK');
				throw error;
			}
		},
		selectValue: (sql: string, bind?: Bind) => rows(sql, bind)[0]?.[0],
		selectValues: (sql: string, bind?: Bind) => rows(sql, bind).map((row) => row[0]),
		selectArrays: rows,
		close: () => db.close()
	};
	return adapter as unknown as Db;
}
