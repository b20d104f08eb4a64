/**
 * The browsers to push to, in the `push_subscriptions` table of the log's own SQLite file (one file to back up,
 * one file to move). Keyed by endpoint: the endpoint is what a push service knows a subscription by, and a
 * browser that subscribes again with the same endpoint brings new keys that replace the old ones.
 */
import type { DatabaseSync } from 'node:sqlite';

/** A PushSubscription as `PushSubscription.toJSON()` gives it, minus the fields a sender never needs. */
export interface PushTarget {
	endpoint: string;
	keys: { p256dh: string; auth: string };
}

export class PushSubscriptions {
	constructor(private readonly db: DatabaseSync) {
		db.exec(`
			CREATE TABLE IF NOT EXISTS push_subscriptions (
				endpoint TEXT PRIMARY KEY,
				p256dh TEXT NOT NULL,
				auth TEXT NOT NULL,
				created_at TEXT NOT NULL
			) STRICT
		`);
	}

	save(target: PushTarget): void {
		this.db
			.prepare(
				`INSERT INTO push_subscriptions (endpoint, p256dh, auth, created_at) VALUES (?, ?, ?, ?)
				 ON CONFLICT (endpoint) DO UPDATE SET p256dh = excluded.p256dh, auth = excluded.auth`
			)
			.run(target.endpoint, target.keys.p256dh, target.keys.auth, new Date().toISOString());
	}

	/** Returns false if there was no such subscription (unsubscribing twice is not an error). */
	remove(endpoint: string): boolean {
		return this.db.prepare('DELETE FROM push_subscriptions WHERE endpoint = ?').run(endpoint).changes > 0;
	}

	all(): PushTarget[] {
		return this.db
			.prepare('SELECT endpoint, p256dh, auth FROM push_subscriptions ORDER BY created_at')
			.all()
			.map((row) => ({
				endpoint: String(row.endpoint),
				keys: { p256dh: String(row.p256dh), auth: String(row.auth) }
			}));
	}
}
