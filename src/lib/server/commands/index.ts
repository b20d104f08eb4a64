/**
 * The process-wide command handler over `replicaServer()`'s log, with the default chat bootstrapped before the
 * first command runs. Routes and hooks use this; tests build their own with `createCommandHandler`.
 */
import { replicaServer } from '../app-server';
import { bootstrapChat } from './bootstrap';
import { createCommandHandler, type CommandHandler } from './handler';

export { bootstrapChat } from './bootstrap';
export { createCommandHandler, type CommandHandler } from './handler';
export { handleCommandRequest } from './request';

let instance: CommandHandler | undefined;

export function commandHandler(): CommandHandler {
	if (instance) return instance;
	const { store } = replicaServer();
	bootstrapChat(store);
	instance = createCommandHandler(store);
	return instance;
}
