/**
 * The HTTP side of `POST /api/commands`, framework-free so that it is tested with plain `Request`s. Checks run
 * cheapest first and each answers with the `CommandRejected` shape: origin (403), session (401), content type
 * (415), size (413, without parsing), JSON (400, field `body`); then the command handler decides.
 */
import { MAX_COMMAND_BYTES, type CommandRejected, type CommandResult } from '../../shared/commands';
import type { CommandHandler } from './handler';

/**
 * CSRF: SvelteKit's built-in origin check covers only form content types, and a cross-site page cannot send
 * `application/json` without a CORS preflight that we never answer. Still, browsers send `Origin` on every POST,
 * so a present `Origin` that differs from ours is refused outright; requests without one (non-browser clients) rely
 * on the content-type rule and the SameSite=Lax session cookie. Hosts are compared, not whole origins: behind
 * adapter-node the request URL's scheme is a guess (https unless a protocol header says otherwise).
 */
function isCrossOrigin(request: Request): boolean {
	const origin = request.headers.get('origin');
	if (origin === null) return false;
	const host = request.headers.get('host') ?? new URL(request.url).host;
	return URL.canParse(origin) ? new URL(origin).host !== host : true;
}

function isJson(request: Request): boolean {
	const mediaType = request.headers.get('content-type')?.split(';')[0].trim().toLowerCase();
	return mediaType === 'application/json';
}

/** The body's bytes, or undefined as soon as it is known to exceed `limit` (the rest is never read). */
async function readLimited(request: Request, limit: number): Promise<Uint8Array | undefined> {
	const declared = Number(request.headers.get('content-length'));
	if (declared > limit) return undefined;
	const chunks: Uint8Array[] = [];
	let size = 0;
	const reader = request.body?.getReader();
	if (!reader) return new Uint8Array();
	for (let read = await reader.read(); !read.done; read = await reader.read()) {
		size += read.value.byteLength;
		if (size > limit) {
			await reader.cancel();
			return undefined;
		}
		chunks.push(read.value);
	}
	return Buffer.concat(chunks);
}

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
