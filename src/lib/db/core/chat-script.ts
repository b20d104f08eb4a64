/**
 * Turns a random script of chat actions into a valid State Protocol event stream, the way the server would write
 * it: each command's events share a txid at consecutive offsets. Scripts also carry the stream's rough edges:
 * re-delivered commands, malformed events, snapshots and resets. Used by the replay-equivalence property test.
 */
import type { ChangeEvent, MessageValue } from '#lib/shared/events.ts';
import { change } from './testing';

export type ChatAction =
	| { kind: 'user'; user: number; name: string }
	| { kind: 'space'; space: number; user: number }
	| { kind: 'send'; channel: number; user: number; body: string }
	| { kind: 'edit' | 'delete' | 'redeliver'; pick: number; body: string }
	| { kind: 'react' | 'unreact'; pick: number; user: number; emoji: string }
	| { kind: 'leave' | 'drop-user'; user: number }
	| { kind: 'malformed' | 'snapshot' | 'reset' };

export function scriptToEvents(actions: ChatAction[]): unknown[] {
	const stream: unknown[] = [];
	const commands: unknown[][] = [];
	const messages = new Map<string, MessageValue>();
	const users = new Map<string, string>();
	const reactions = new Set<string>();
	const emit = (...events: ChangeEvent[]) => {
		const txid = `cmd${commands.length}`;
		const stamped = events.map((e) => ({ ...e, headers: { ...e.headers, txid } }));
		commands.push(stamped);
		stream.push(...stamped);
	};
	const pick = (n: number) => [...messages.values()][n % messages.size];

	for (const action of actions) {
		switch (action.kind) {
			case 'user':
				users.set(`u${action.user}`, action.name);
				emit(change('user', 'insert', `u${action.user}`, { id: `u${action.user}`, name: action.name }));
				break;
			case 'space': {
				const [spaceId, userId] = [`s${action.space}`, `u${action.user}`];
				emit(
					change('space', 'insert', spaceId, { id: spaceId, name: spaceId, createdBy: userId, createdAt: 't' }),
					change('channel', 'insert', `${spaceId}c`, {
						id: `${spaceId}c`,
						spaceId,
						name: 'general',
						createdBy: userId,
						createdAt: 't'
					}),
					change('membership', 'insert', `${spaceId}:${userId}`, { spaceId, userId, joinedAt: 't' })
				);
				break;
			}
			case 'send': {
				const value = {
					id: `m${stream.length}`,
					channelId: `c${action.channel}`,
					authorId: `u${action.user}`,
					body: action.body,
					createdAt: 't'
				};
				messages.set(value.id, value);
				emit(change('message', 'insert', value.id, value));
				break;
			}
			case 'edit':
			case 'delete': {
				if (!messages.size) break;
				const message = pick(action.pick);
				if (action.kind === 'delete') {
					messages.delete(message.id);
					emit(change('message', 'delete', message.id));
				} else {
					const edited = { ...message, body: action.body, editedAt: 't2' };
					messages.set(message.id, edited);
					emit(change('message', 'update', message.id, edited));
				}
				break;
			}
			case 'react':
			case 'unreact': {
				if (!messages.size) break;
				const value = { messageId: pick(action.pick).id, userId: `u${action.user}`, emoji: action.emoji };
				const key = `${value.messageId}:${value.userId}:${value.emoji}`;
				if (action.kind === 'react') reactions.add(key);
				else reactions.delete(key);
				emit(change('reaction', action.kind === 'react' ? 'insert' : 'delete', key, value));
				break;
			}
			case 'leave':
				emit(change('membership', 'delete', `s0:u${action.user}`));
				break;
			case 'drop-user':
				users.delete(`u${action.user}`);
				emit(change('user', 'delete', `u${action.user}`));
				break;
			case 'redeliver':
				if (commands.length) stream.push(...commands[action.pick % commands.length]);
				break;
			case 'malformed':
				stream.push({ type: 'message', key: 'mx', value: { id: 'mx' }, headers: { operation: 'insert' } });
				break;
			case 'reset':
				stream.push({ headers: { control: 'reset' } });
				messages.clear();
				users.clear();
				reactions.clear();
				break;
			case 'snapshot':
				// The server's current state as a snapshot of users, messages and reactions.
				stream.push({ headers: { control: 'snapshot-start' } });
				for (const [id, name] of users) stream.push(change('user', 'insert', id, { id, name }));
				for (const value of messages.values()) stream.push(change('message', 'insert', value.id, value));
				for (const key of reactions) {
					const [messageId, userId, emoji] = key.split(':');
					if (messages.has(messageId)) stream.push(change('reaction', 'insert', key, { messageId, userId, emoji }));
				}
				stream.push({ headers: { control: 'snapshot-end' } });
				break;
		}
	}
	return stream;
}
