/**
 * Executes commands: validate (the shared schema) → answer a repeated id → authorize and decide (rules.ts) →
 * append the change events and record the answer, all in one transaction.
 *
 * Idempotency: the answer to an accepted command is stored under its id, together with a fingerprint of the
 * command and its user. The same id with the same command is answered with the stored result and appends nothing;
 * the same id with anything else is a 409. Rejections are not stored: they changed nothing, so a retry of a
 * rejected id is simply judged again against the current state (a command is applied at most once either way).
 */
import type { LogStore } from '../log/store';
import { parseCommand, type CommandAccepted, type CommandResult } from '../../shared/commands';
import { appendChanges } from './changes';
import { CommandRejection, decide } from './rules';
import { ChatState } from './state';

export interface CommandHandlerOptions {
	/** The clock for event timestamps; tests pin it. */
	now?: () => Date;
}

export function createCommandHandler(store: LogStore, { now = () => new Date() }: CommandHandlerOptions = {}) {
	const state = new ChatState(store.db);

	function acceptOnce(userId: string, input: unknown): CommandResult {
		const parsed = parseCommand(input);
		if (!parsed.ok) return { ok: false, status: 400, error: parsed.message, field: parsed.field };
		const { command } = parsed;
		// The parsed command (names trimmed, keys in schema order) so that formatting differences are not conflicts.
		const fingerprint = JSON.stringify({ userId, command });
		return store.transaction(() => {
			const seen = state.result(command.id);
			if (seen) {
				if (seen.fingerprint === fingerprint) return JSON.parse(seen.result) as CommandAccepted;
				const error = `command id ${command.id} was already used for a different command: send it with a new id`;
				throw new CommandRejection(409, error, 'id');
			}
			const timestamp = now().toISOString();
			const changes = decide({ state, userId, timestamp }, command);
			const offset = appendChanges(store, command.id, timestamp, changes);
			const result: CommandAccepted = { ok: true, commandId: command.id, offset };
			state.recordResult(command.id, { fingerprint, result: JSON.stringify(result) });
			return result;
		});
	}

	return {
		/**
		 * Runs one command for `userId`, the session's user (authentication is the caller's job). Never throws for
		 * bad input, only when the store itself fails.
		 */
		execute(userId: string, input: unknown): CommandResult {
			try {
				return acceptOnce(userId, input);
			} catch (error) {
				if (error instanceof CommandRejection) return error.toResult();
				throw error;
			}
		},

		/** The display name chosen with `set_display_name`, or null before the user picked one. */
		displayName(userId: string): string | null {
			return state.user(userId)?.name ?? null;
		}
	};
}

export type CommandHandler = ReturnType<typeof createCommandHandler>;
