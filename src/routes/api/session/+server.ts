/** `GET /api/session`: who this browser is (`userId`) and the display name it chose (null until it picks one). */
import { commandHandler } from '#lib/server/commands/index.ts';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ locals }) =>
	Response.json(
		{ userId: locals.userId, name: commandHandler().displayName(locals.userId) },
		{ headers: { 'cache-control': 'no-store' } }
	);
