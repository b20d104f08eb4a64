import { describe, expect, it } from 'vitest';
import { loadSqlite, openMemoryDb } from './core/testing';
import { SqlReader } from './sql-reader';

async function openReader() {
	const db = await openMemoryDb({ migrated: false });
	return { db, reader: new SqlReader(await loadSqlite(), db) };
}

describe('SqlReader', () => {
	it('reads every type of value as sqlite-wasm does', async () => {
		const { db, reader } = await openReader();
		const sql = `SELECT NULL AS none, 42 AS small, -9007199254740991 AS safest, 9007199254740993 AS big,
			1.5 AS real, 1e300 AS huge, 0.1 + 0.2 AS inexact, 'héllo 👋' AS text, '' AS empty, x'00ff10' AS bytes,
			zeroblob(0) AS noBytes, ? AS bound`;
		const rows = reader.read(sql, ['a bound value']);
		expect(rows).toEqual(db.selectObjects(sql, ['a bound value']));
		expect(rows[0]).toMatchObject({ big: 9007199254740993n, text: 'héllo 👋', bytes: new Uint8Array([0, 255, 16]) });
	});

	it('returns the rows of a join in the order the statement gives them, and again when re-run', async () => {
		const { db, reader } = await openReader();
		db.exec(`CREATE TABLE a(id INTEGER PRIMARY KEY, name TEXT); CREATE TABLE b(a_id INTEGER, note TEXT);
			INSERT INTO a VALUES (1, 'one'), (2, 'two'), (3, 'three');
			INSERT INTO b VALUES (3, 'x'), (1, 'y'), (1, 'z')`);
		const sql = 'SELECT a.id, a.name, b.note FROM a LEFT JOIN b ON b.a_id = a.id ORDER BY a.name DESC, b.note';
		const prepared = reader.prepare(sql);
		const expected = db.selectObjects(sql);
		expect(prepared.run([])).toEqual(expected);
		expect(prepared.run([])).toEqual(expected);
		prepared.finalize();
	});

	it('follows a statement whose columns changed with the schema', async () => {
		const { db, reader } = await openReader();
		db.exec(`CREATE TABLE t(a); INSERT INTO t VALUES (1)`);
		const prepared = reader.prepare('SELECT * FROM t');
		expect(prepared.run([])).toEqual([{ a: 1 }]);
		db.exec(`ALTER TABLE t ADD COLUMN b DEFAULT 'added'`);
		expect(prepared.run([])).toEqual([{ a: 1, b: 'added' }]);
		prepared.finalize();
	});

	it('refuses a statement that writes, naming the way to change data', async () => {
		const { db, reader } = await openReader();
		db.exec('CREATE TABLE t(a)');
		expect(() => reader.read('INSERT INTO t VALUES (1)', [])).toThrow(/only read-only statements.*commands/);
	});

	it('refuses what SQLite calls read-only but would leave the connection changed: transactions, ATTACH, pragmas that set', async () => {
		const { db, reader } = await openReader();
		db.exec('CREATE TABLE t(a)');
		for (const sql of [
			'BEGIN',
			'BEGIN IMMEDIATE',
			'SAVEPOINT s',
			'COMMIT',
			"ATTACH ':memory:' AS other",
			'PRAGMA query_only = 1',
			'PRAGMA user_version = 7',
			'PRAGMA optimize',
			'PRAGMA wal_checkpoint'
		]) {
			expect(() => reader.read(sql, []), sql).toThrow(/only read-only statements.*transactions.*commands/);
		}
		expect(() => reader.read('PRAGMA optimize', [])).toThrow(/pragmas, only those that report: .*table_info/);
		// The connection is as it was: not in a transaction, still writable, its version untouched.
		db.exec('BEGIN IMMEDIATE; INSERT INTO t VALUES (1); COMMIT');
		expect(db.selectValue('SELECT count(*) FROM t')).toBe(1);
		expect(db.selectValue('PRAGMA user_version')).toBe(0);
	});

	it('lets the pragmas that only report through, and records what they read', async () => {
		const { db, reader } = await openReader();
		db.exec('CREATE TABLE t(a, b)');
		expect(reader.read('PRAGMA user_version', [])).toEqual([{ user_version: 0 }]);
		expect(reader.read('PRAGMA table_info(t)', []).map((row) => row.name)).toEqual(['a', 'b']);
		expect(reader.read('PRAGMA quick_check', [])).toEqual([{ quick_check: 'ok' }]);
		expect(reader.read('PRAGMA index_xinfo(sqlite_autoindex_t_1)', [])).toEqual([]);
		expect(reader.read('SELECT name FROM pragma_table_info(?) ORDER BY cid', ['t'])).toEqual([
			{ name: 'a' },
			{ name: 'b' }
		]);
		expect(
			reader.read(
				'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3) SELECT sum(i) AS s FROM n',
				[]
			)
		).toEqual([{ s: 6 }]);
	});

	it('leaves statements of the connection that are not its own alone', async () => {
		const { db, reader } = await openReader();
		expect(() => reader.read('BEGIN', [])).toThrow(/only read-only/);
		db.exec('BEGIN; CREATE TABLE t(a); PRAGMA user_version = 3; COMMIT');
		expect(db.selectValue('PRAGMA user_version')).toBe(3);
	});
});
