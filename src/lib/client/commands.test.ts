import { expect, test } from 'vitest';
import { parseCommand } from '#lib/shared/commands.ts';
import { newId } from './commands';

test('ids are UUIDv7 that sort in the order they were made, and pass the command schema', () => {
	const ids = Array.from({ length: 2000 }, () => newId());
	expect(new Set(ids).size).toBe(ids.length);
	for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
	expect(ids.toSorted()).toEqual(ids);
	const command = { id: ids[0], name: 'send_message', args: { messageId: ids[1], channelId: 'general', body: 'hi' } };
	expect(parseCommand(command).ok).toBe(true);
});
