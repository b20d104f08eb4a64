/** The checks every endpoint that accepts a JSON body makes (commands, push subscriptions). */

/**
 * CSRF: SvelteKit's built-in origin check covers only form content types, and a cross-site page cannot send
 * `application/json` without a CORS preflight that we never answer. Still, browsers send `Origin` on every POST,
 * so a present `Origin` that differs from ours is refused outright; requests without one (non-browser clients) rely
 * on the content-type rule and the SameSite=Lax session cookie. Hosts are compared, not whole origins: behind
 * adapter-node the request URL's scheme is a guess (https unless a protocol header says otherwise).
 */
export function isCrossOrigin(request: Request): boolean {
	const origin = request.headers.get('origin');
	if (origin === null) return false;
	const host = request.headers.get('host') ?? new URL(request.url).host;
	return URL.canParse(origin) ? new URL(origin).host !== host : true;
}

export function isJson(request: Request): boolean {
	const mediaType = request.headers.get('content-type')?.split(';')[0].trim().toLowerCase();
	return mediaType === 'application/json';
}

/** The body's bytes, or undefined as soon as it is known to exceed `limit` (the rest is never read). */
export async function readLimited(request: Request, limit: number): Promise<Uint8Array | undefined> {
	if (Number(request.headers.get('content-length')) > limit) return undefined;
	const reader = request.body?.getReader();
	if (!reader) return new Uint8Array();
	const chunks: Uint8Array[] = [];
	let size = 0;
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
