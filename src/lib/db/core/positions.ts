/**
 * Positions order a channel's timeline. A confirmed message's position is the offset count of the event that first
 * inserted it (stream order). Pending (optimistic) rows take positions from PENDING_POSITION_BASE up, so they sort
 * after every confirmed message: offsets would need 2^52 events to get there.
 */
export const PENDING_POSITION_BASE = 2 ** 52;
