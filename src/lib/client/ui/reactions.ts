/** Reactions as the timeline reads them, and the one way components change them. */
import { newId } from '#lib/client/commands.ts';
import { runCommand } from './run-command';

/** Offered on every message; any other emoji someone used shows as a chip too. */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '🎉', '👀'] as const;

export function reactionCounts(json: string): [emoji: string, count: number][] {
	return Object.entries(parseJson<Record<string, number>>(json, {}));
}

export function myReactions(json: string | null): Set<string> {
	return new Set(parseJson<(string | null)[]>(json ?? '[]', []).filter((emoji) => emoji !== null));
}

/** Adds the reaction, or removes it when the user already reacted with it. */
export function toggleReaction(messageId: string, emoji: string, reacted: boolean): Promise<string | null> {
	const name = reacted ? 'remove_reaction' : 'add_reaction';
	return runCommand({ id: newId(), name, args: { messageId, emoji } });
}

function parseJson<T>(json: string, fallback: T): T {
	try {
		return (JSON.parse(json) as T) ?? fallback;
	} catch {
		return fallback;
	}
}
