import type { Handle, ServerInit } from '@sveltejs/kit/hooks';
import { commandHandler } from './lib/server/commands';
import { establishSession, sessionSecret } from './lib/server/session';

/** Opens the log and bootstraps the default chat at start-up, so the first reader already sees it. */
export const init: ServerInit = () => {
	commandHandler();
	sessionSecret();
};

/** Every request gets `locals.userId`: the signed session's user, or a new one whose cookie is set here. */
export const handle: Handle = ({ event, resolve }) => {
	event.locals.userId = establishSession(event.cookies, sessionSecret(), event.url.protocol === 'https:');
	return resolve(event);
};
