/**
 * Web Lock names. Lock lifetime is the liveness signal: a lock held until its holder dies says "alive", and a
 * request for it resolves exactly when the holder is gone.
 */

/** Held by the one DB worker that has the SQLite file open, for exactly as long as it is open. */
export const WRITER_LOCK = 'replica:writer';

/** Held by each tab for its whole life; the coordinator requests it to learn that the tab is gone. */
export const tabLock = (tabId: string) => `replica:tab:${tabId}`;

/** Taken by the one follower that fences the leader of `epoch` (no SharedWorker: BroadcastElection). */
export const fenceLock = (epoch: number) => `replica:fence:${epoch}`;
