import type { Handle, ServerInit } from '@sveltejs/kit/hooks';
import { commandHandler } from '#lib/server/commands/index.ts';
import { pushFanout } from '#lib/server/push/index.ts';
import { establishSession, sessionSecret } from '#lib/server/session.ts';

/** Opens the log and bootstraps the default chat at start-up, so the first reader already sees it. */
export const init: ServerInit = () => {
	commandHandler();
	sessionSecret();
	pushFanout();
};

/**
 * Every request gets `locals.userId`: the signed session's user, or a new one whose cookie is set here. Stream
 * reads are public and cacheable by shared caches, so they never carry a Set-Cookie and have no user.
 */
export const handle: Handle = ({ event, resolve }) => {
	if (event.url.pathname.startsWith('/v1/stream/')) return resolve(event);
	event.locals.userId = establishSession(event.cookies, sessionSecret(), event.url.protocol === 'https:');
	return resolve(event);
};
