/**
 * The HTTP side of `POST /api/commands`, framework-free so that it is tested with plain `Request`s. Checks run
 * cheapest first and each answers with the `CommandRejected` shape: origin (403), session (401), content type
 * (415), size (413, without parsing), JSON (400, field `body`); then the command handler decides.
 */
import { MAX_COMMAND_BYTES, type CommandRejected, type CommandResult } from '../../shared/commands';
import { isCrossOrigin, isJson, readLimited } from '../request-checks';
import type { CommandHandler } from './handler';

function parseJson(bytes: Uint8Array): { ok: true; value: unknown } | CommandRejected {
	const bad = (problem: string): CommandRejected => ({
		ok: false,
		status: 400,
		error: `body: ${problem}`,
		field: 'body'
	});
	if (bytes.byteLength === 0) return bad('is empty; send the command as a JSON object');
	try {
		return { ok: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) };
	} catch {
		return bad('is not valid UTF-8 JSON; send the command as a JSON object');
	}
}

function respond(result: CommandResult): Response {
	return Response.json(result, { status: result.ok ? 200 : result.status, headers: { 'cache-control': 'no-store' } });
}

/** `userId` is the session user the request arrived with (undefined if it carried no valid session cookie). */
export async function handleCommandRequest(
	request: Request,
	userId: string | undefined,
	handler: Pick<CommandHandler, 'execute'>
): Promise<Response> {
	if (isCrossOrigin(request)) {
		return respond({ ok: false, status: 403, error: 'cross-origin commands are not accepted' });
	}
	if (!userId) {
		return respond({ ok: false, status: 401, error: 'no session: load the app once to get a session cookie' });
	}
	if (!isJson(request)) {
		const error = 'content-type must be application/json: send the command as JSON';
		return respond({ ok: false, status: 415, error, field: 'content-type' });
	}
	const bytes = await readLimited(request, MAX_COMMAND_BYTES);
	if (!bytes) {
		return respond({
			ok: false,
			status: 413,
			error: `body: is larger than ${MAX_COMMAND_BYTES} bytes; shorten it`,
			field: 'body'
		});
	}
	const json = parseJson(bytes);
	if (!json.ok) return respond(json);
	return respond(handler.execute(userId, json.value));
}
