/**
 * The chat a fresh server starts with: the space "Replica" with the channels #general and #random, created by a
 * system user. It is appended like a command (txid `bootstrap`, answer recorded under that id), so it happens once
 * per database however often the server starts, and a client command that reuses the id `bootstrap` gets a 409.
 */
import type { LogStore } from '../log/store';
import type { CommandAccepted } from '../../shared/commands';
import type { ChannelValue, SpaceValue, UserValue } from '../../shared/events';
import { appendChanges, inserted } from './changes';
import { ChatState } from './state';

export const BOOTSTRAP_TXID = 'bootstrap';
export const SYSTEM_USER_ID = 'system';
export const DEFAULT_SPACE_ID = 'replica';
export const DEFAULT_CHANNEL_ID = 'general';

/**
 * Appends the default chat if no command was ever accepted (all chat events come from commands, so that means
 * an empty stream). Returns whether it appended. The chat stream must exist (`replicaServer()` creates it).
 */
export function bootstrapChat(store: LogStore, now: () => Date = () => new Date()): boolean {
	const state = new ChatState(store.db);
	return store.transaction(() => {
		if (state.hasAnyResult()) return false;
		const createdAt = now().toISOString();
		const system: UserValue = { id: SYSTEM_USER_ID, name: 'Replica' };
		const space: SpaceValue = { id: DEFAULT_SPACE_ID, name: 'Replica', createdBy: system.id, createdAt };
		const channels: ChannelValue[] = [
			{ id: DEFAULT_CHANNEL_ID, spaceId: space.id, name: 'general', createdBy: system.id, createdAt },
			{ id: 'random', spaceId: space.id, name: 'random', createdBy: system.id, createdAt }
		];
		state.upsertUser(system);
		state.insertSpace(space);
		for (const channel of channels) state.insertChannel(channel);
		const offset = appendChanges(store, BOOTSTRAP_TXID, createdAt, [
			inserted('user', system.id, system),
			inserted('space', space.id, space),
			...channels.map((channel) => inserted('channel', channel.id, channel))
		]);
		const result: CommandAccepted = { ok: true, commandId: BOOTSTRAP_TXID, offset };
		state.recordResult(BOOTSTRAP_TXID, { fingerprint: BOOTSTRAP_TXID, result: JSON.stringify(result) });
		return true;
	});
}
