/** `POST /api/commands`: a thin adapter; the checks and their order live in handleCommandRequest. */
import { commandHandler, handleCommandRequest } from '#lib/server/commands/index.ts';
import { sessionFromCookieHeader, sessionSecret } from '#lib/server/session.ts';
import type { RequestHandler } from './$types';

// The hook issues a new session to a request without one; a command must come with the session it was made
// under, so the user is taken from the cookie the browser sent, not from `locals` (which may be brand new).
export const POST: RequestHandler = ({ request }) =>
	handleCommandRequest(
		request,
		sessionFromCookieHeader(sessionSecret(), request.headers.get('cookie')),
		commandHandler()
	);
