import { describe, expect, it } from 'vitest';
import { ChangeTracker } from './change-tracker';
import { loadSqlite } from './core/testing';

async function setup() {
	const sqlite3 = await loadSqlite();
	const db = new sqlite3.oo1.DB(':memory:');
	db.exec(`
		CREATE TABLE notes(id INTEGER PRIMARY KEY, title TEXT, body TEXT);
		CREATE TABLE tags(note_id INTEGER, tag TEXT, colour TEXT, PRIMARY KEY(note_id, tag)) WITHOUT ROWID;
		CREATE VIRTUAL TABLE note_search USING fts5(body);
		INSERT INTO notes VALUES (1, 'a', 'x'), (2, 'b', 'y');
		INSERT INTO tags VALUES (1, 'red', 'red');
	`);
	const tracker = new ChangeTracker(sqlite3, db);
	return { db, tracker };
}

describe('ChangeTracker', () => {
	it('reports inserts and deletes as whole-table changes, and updates by the columns whose value changed', async () => {
		const { db, tracker } = await setup();
		db.exec("UPDATE notes SET title = 'A', body = body WHERE id = 1");
		expect(tracker.take()).toEqual(new Map([['notes', new Set(['title'])]]));

		db.exec("INSERT INTO notes VALUES (3, 'c', 'z')");
		expect(tracker.take()).toEqual(new Map([['notes', 'all']]));

		db.exec('DELETE FROM notes WHERE id = 2');
		expect(tracker.take()).toEqual(new Map([['notes', 'all']]));
		expect(tracker.take()).toEqual(new Map());
	});

	it('sees WITHOUT ROWID tables, changes made by triggers, and rolled-back changes (over-reporting is safe)', async () => {
		const { db, tracker } = await setup();
		db.exec(`CREATE TRIGGER retag AFTER UPDATE OF title ON notes BEGIN
			INSERT INTO tags VALUES (NEW.id, NEW.title, 'none'); END`);
		tracker.take();
		db.exec("UPDATE notes SET title = 'renamed' WHERE id = 2");
		expect(tracker.take()).toEqual(
			new Map<string, unknown>([
				['notes', new Set(['title'])],
				['tags', 'all']
			])
		);
		db.exec("BEGIN; UPDATE tags SET colour = 'blue'; ROLLBACK");
		expect(tracker.take()).toEqual(new Map([['tags', new Set(['colour'])]]));
	});

	it('reports a change of an FTS5 index as a change of the virtual table', async () => {
		const { db, tracker } = await setup();
		db.exec("INSERT INTO note_search(rowid, body) VALUES (1, 'hello world')");
		const changes = tracker.take();
		expect(changes !== 'everything' && changes.get('note_search')).toBe('all');
	});

	it('counts an update that moves a rowid as a change of every column', async () => {
		const { db, tracker } = await setup();
		db.exec('UPDATE notes SET id = 10 WHERE id = 1');
		expect(tracker.take()).toEqual(new Map([['notes', 'all']]));
	});

	it('stops comparing columns in a big transaction and reports the table whole', async () => {
		const { db, tracker } = await setup();
		db.exec('BEGIN');
		for (let i = 0; i < 300; i++) db.exec({ sql: 'UPDATE notes SET title = ? WHERE id = 1', bind: [`t${i}`] });
		db.exec('COMMIT');
		expect(tracker.take()).toEqual(new Map([['notes', 'all']]));
	});

	it('reports everything after a schema change', async () => {
		const { db, tracker } = await setup();
		db.exec('ALTER TABLE notes ADD COLUMN pinned INTEGER');
		expect(tracker.take()).toBe('everything');
		db.exec('UPDATE notes SET pinned = 1 WHERE id = 1');
		expect(tracker.take()).toEqual(new Map([['notes', new Set(['pinned'])]]));
	});

	it('stops reporting once closed', async () => {
		const { db, tracker } = await setup();
		tracker.close();
		db.exec("UPDATE notes SET title = 'z'");
		expect(tracker.take()).toEqual(new Map());
	});
});
