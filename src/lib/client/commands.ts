/**
 * Sends commands through the outbox: validated with the same schema the server uses (a bad command fails here,
 * with the same message, and nothing is stored), then made durable in IndexedDB before anything shows it, then
 * flushed. A resolved `{ ok: true }` means "safely queued", not "accepted": a later rejection is shown by the
 * outbox notices with retry or discard.
 */
import { v7 as uuidv7 } from 'uuid';
import { parseCommand, type Command, type CommandRejected } from '#lib/shared/commands.ts';
import type { Replica } from './replica.svelte';

export type SendOutcome = { ok: true } | CommandRejected;

let current: Replica | undefined;

/** Called once by the tab's Replica; commands are sent as that tab's user. */
export function setCommandReplica(replica: Replica) {
	current = replica;
}

export async function sendCommand(command: Command): Promise<SendOutcome> {
	const parsed = parseCommand(command);
	if (!parsed.ok) return { ok: false, status: 400, error: parsed.message, field: parsed.field };
	if (!current) throw new Error('sendCommand: the replica has not started; send from a mounted component');
	await current.send(parsed.command);
	return { ok: true };
}

/**
 * Ids this client makes (commands, messages, channels): UUIDv7, whose leading timestamp makes new ids sort after
 * older ones. Every index keyed by them (the replica's messages, timeline and txid records; the server's command
 * log) then grows at its end instead of touching a random page per insert: with random (v4) ids the replica's apply
 * on OPFS ran at ~7–8k events/s against ~22–26k (docs/BENCHMARKS.md, P1).
 */
export const newId = () => uuidv7();
