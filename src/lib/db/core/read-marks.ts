/** Local-only read state: what the user has seen per channel. Never sent, never touched by the stream. */
import { run } from './statements';
import type { Db } from './types';

/** Moves the channel's read mark to `position`; it never moves back (a stale tab cannot un-read messages). */
export function markRead(db: Db, channelId: string, position: number): void {
	run(
		db,
		`INSERT INTO read_marks(channel_id, position) VALUES (?, ?)
		 ON CONFLICT(channel_id) DO UPDATE SET position = max(position, excluded.position)`,
		[channelId, position]
	);
}
