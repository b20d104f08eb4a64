/**
 * Bulk seeding for demos and benchmarks: `npm run seed -- --messages 100000 [--channels 5] [--users 8]`.
 * Runs real commands through the server's command handler (validation, authorization, idempotency, the same
 * events), 1,000 per log transaction, into the data directory named by REPLICA_DATA_DIR (default ./data).
 * Stop the server first: it keeps live readers in memory and would not see appends made by another process.
 */
import { parseArgs } from 'node:util';
import { v7 as uuidv7 } from 'uuid';
import { replicaServer } from '#lib/server/app-server.ts';
import { commandHandler } from '#lib/server/commands/index.ts';
import type { Command } from '#lib/shared/commands.ts';

const WORDS = 'replica offline sqlite stream worker leader tab inbox outbox event cursor query channel'.split(' ');

export function seedChat({ messages, channels, users }: { messages: number; channels: number; users: number }) {
	const { store } = replicaServer();
	const handler = commandHandler();
	const run = (userId: string, command: Command) => {
		const result = handler.execute(userId, command);
		if (!result.ok) throw new Error(`seed: ${command.name} was rejected: ${result.error}`);
	};
	const userIds = Array.from({ length: users }, (_, i) => `seed-user-${i + 1}`);
	const channelIds = ['general', 'random'];
	const stamp = Date.now().toString(36);
	store.transaction(() => {
		userIds.forEach((userId, i) =>
			run(userId, { id: `seed-${stamp}-name-${i}`, name: 'set_display_name', args: { name: `Seeder ${i + 1}` } })
		);
		for (let i = channelIds.length; i < channels; i++) {
			const channelId = `seed-${stamp}-channel-${i}`;
			run(userIds[0], {
				id: `${channelId}-create`,
				name: 'create_channel',
				args: { channelId, spaceId: 'replica', name: `bench-${i}` }
			});
			channelIds.push(channelId);
		}
	});
	const started = performance.now();
	for (let sent = 0; sent < messages;) {
		store.transaction(() => {
			for (const end = Math.min(messages, sent + 1000); sent < end; sent++) {
				const body = Array.from({ length: 14 }, (_, j) => WORDS[(sent * 7 + j * 3) % WORDS.length]).join(' ');
				// Ids as the app's clients make them (newId in #lib/client/commands.ts).
				const messageId = uuidv7();
				run(userIds[sent % users], {
					id: uuidv7(),
					name: 'send_message',
					args: { messageId, channelId: channelIds[sent % channelIds.length], body: `${body} #${sent}` }
				});
			}
		});
	}
	const seconds = (performance.now() - started) / 1000;
	return { messages, seconds, head: store.headOffset('chat') };
}

if (import.meta.main) {
	const { values } = parseArgs({
		options: {
			messages: { type: 'string', default: '1000' },
			channels: { type: 'string', default: '5' },
			users: { type: 'string', default: '8' }
		}
	});
	const result = seedChat({
		messages: Number(values.messages),
		channels: Number(values.channels),
		users: Number(values.users)
	});
	console.log(`seeded ${result.messages} messages in ${result.seconds.toFixed(1)} s; stream head ${result.head}`);
}
