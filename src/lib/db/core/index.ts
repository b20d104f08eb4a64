/** The browser-free replica core: schema, apply, projections. The DB worker is its only production caller. */
export type { ApplyResult, Db, InboxEntry } from './types';
export { migrate, SCHEMA_VERSION, schemaVersion } from './migrate';
export { applyBatch, type ApplyOptions } from './apply-batch';
export { hasSearchBacklog, indexSearchBacklog } from './search-queue';
export { appliedOffset } from './meta';
export { PROJECTION_VERSION, rebuildProjections, type RebuildProgress } from './rebuild';
export { applyPending, dropPending, type PendingAuthor } from './pending';
export { markRead } from './read-marks';
export { closeCore } from './statements';
export { PENDING_POSITION_BASE } from './positions';
