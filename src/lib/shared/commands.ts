/**
 * The commands clients send (`POST /api/commands`), declared once with valibot and imported by the client (to
 * validate before anything reaches the outbox) and by the server (to validate before anything is appended).
 */
import * as v from 'valibot';

/** Ids are made by clients (UUIDv7 in this app's, see newId), so they are checked for shape, not for origin. */
const Id = v.pipe(
	v.string(),
	v.minLength(1, 'must not be empty'),
	v.maxLength(64, 'must be at most 64 characters'),
	v.regex(/^[A-Za-z0-9_-]+$/, 'may contain only letters, digits, "-" and "_"')
);
const Name = v.pipe(
	v.string(),
	v.trim(),
	v.minLength(1, 'must not be empty'),
	v.maxLength(80, 'must be at most 80 characters')
);
export const MAX_MESSAGE_LENGTH = 4000;
const Body = v.pipe(
	v.string(),
	v.check((body) => body.trim().length > 0, 'must not be empty'),
	v.maxLength(MAX_MESSAGE_LENGTH, `must be at most ${MAX_MESSAGE_LENGTH} characters`)
);
const Emoji = v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(16, 'must be one emoji'));

const command = <N extends string, A extends v.ObjectEntries>(name: N, args: A) =>
	v.strictObject({ id: Id, name: v.literal(name), args: v.strictObject(args) });

export const Command = v.variant('name', [
	command('create_space', { spaceId: Id, name: Name }),
	command('create_channel', { channelId: Id, spaceId: Id, name: Name }),
	command('send_message', { messageId: Id, channelId: Id, body: Body }),
	command('edit_message', { messageId: Id, body: Body }),
	command('delete_message', { messageId: Id }),
	command('add_reaction', { messageId: Id, emoji: Emoji }),
	command('remove_reaction', { messageId: Id, emoji: Emoji }),
	command('set_display_name', { name: Name })
]);

export type Command = v.InferOutput<typeof Command>;
export type CommandName = Command['name'];
export type CommandOf<N extends CommandName> = Extract<Command, { name: N }>;

/** The largest command body the server reads; anything larger is answered 413 without being parsed. */
export const MAX_COMMAND_BYTES = 16 * 1024;

export type ParsedCommand = { ok: true; command: Command } | { ok: false; field: string; message: string };

/** Validates untrusted input; the error names the first offending field, e.g. `args.body: must not be empty`. */
export function parseCommand(input: unknown): ParsedCommand {
	const result = v.safeParse(Command, input);
	if (result.success) return { ok: true, command: result.output };
	const issue = result.issues[0];
	const field = v.getDotPath(issue) ?? 'body';
	return { ok: false, field, message: `${field}: ${issue.message}` };
}

/** What the server answers for an accepted command (and again, unchanged, for a repeated command id). */
export interface CommandAccepted {
	ok: true;
	commandId: string;
	/** The stream offset after the command's last event: the replica has it once its applied offset reaches this. */
	offset: string;
}

/** Every 4xx answer of the command endpoint has this shape. */
export interface CommandRejected {
	ok: false;
	status: 400 | 401 | 403 | 404 | 409 | 413 | 415;
	error: string;
	field?: string;
}

export type CommandResult = CommandAccepted | CommandRejected;
