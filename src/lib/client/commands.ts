/**
 * Sends commands through the outbox: validated with the same schema the server uses (a bad command fails here,
 * with the same message, and nothing is stored), then made durable in IndexedDB before anything shows it, then
 * flushed. A resolved `{ ok: true }` means "safely queued", not "accepted": a later rejection is shown by the
 * outbox notices with retry or discard.
 */
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

export const newId = () => crypto.randomUUID();
