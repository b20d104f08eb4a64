/**
 * Queues a command from a component. Success means "safely in the outbox": a later rejection by the server is
 * shown by the outbox notices, so components only handle what fails before that (validation, storage).
 */
import { sendCommand } from '#lib/client/commands.ts';
import type { Command } from '#lib/shared/commands.ts';

/** Resolves to null once the command is queued, else to the reason it was not. */
export async function runCommand(command: Command): Promise<string | null> {
	try {
		const result = await sendCommand(command);
		return result.ok ? null : result.error;
	} catch (error) {
		return `Not saved: ${error instanceof Error ? error.message : String(error)}. Your text is kept; try again.`;
	}
}
