/**
 * Sends commands to the server. Input is validated with the same schema the server uses, so a bad command fails
 * here with the same message, before any network.
 */
import { parseCommand, type Command, type CommandResult } from '$lib/shared/commands';

export async function sendCommand(command: Command): Promise<CommandResult> {
	const parsed = parseCommand(command);
	if (!parsed.ok) return { ok: false, status: 400, error: parsed.message, field: parsed.field };
	const response = await fetch('/api/commands', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(parsed.command)
	});
	return (await response.json()) as CommandResult;
}

export const newId = () => crypto.randomUUID();
