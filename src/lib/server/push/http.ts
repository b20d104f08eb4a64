/**
 * The HTTP side of `/api/push/*`, framework-free so that it is tested with plain `Request`s. Every refusal is
 * `{ ok: false, error, field? }` with a 4xx status, and changes nothing.
 */
import { isCrossOrigin, isJson, readLimited } from '../request-checks.ts';
import type { PushSubscriptions } from './subscriptions.ts';
import { HINTS, parseFields, subscriptionSchema, unsubscribeSchema } from './subscription-schema.ts';

/** A PushSubscription's JSON is ~500 bytes; anything much larger is not one. */
export const MAX_SUBSCRIPTION_BYTES = 4096;

export interface PushRoutes {
	publicKey: string;
	subscriptions: Pick<PushSubscriptions, 'save' | 'remove'>;
	allowLoopbackHttp: boolean;
}

type Refusal = { status: number; error: string; field?: string };

const NO_STORE = { 'cache-control': 'no-store' };

function refuse({ status, error, field }: Refusal): Response {
	return Response.json({ ok: false, error, ...(field && { field }) }, { status, headers: NO_STORE });
}

/** `GET /api/push/key`: the VAPID public key, as `pushManager.subscribe({ applicationServerKey })` takes it. */
export function pushKeyResponse(routes: Pick<PushRoutes, 'publicKey'>): Response {
	return Response.json({ publicKey: routes.publicKey }, { headers: NO_STORE });
}

/** `POST /api/push/subscriptions` with `PushSubscription.toJSON()`: 201 once stored (again: replaces its keys). */
export async function handleSubscribe(request: Request, routes: PushRoutes): Promise<Response> {
	const body = await readJsonBody(request);
	if ('status' in body) return refuse(body);
	const parsed = parseFields(subscriptionSchema(routes), body.value, HINTS.subscribe);
	if (!parsed.ok) return refuse({ status: 400, ...parsed });
	routes.subscriptions.save(parsed.value);
	return Response.json({ ok: true }, { status: 201, headers: NO_STORE });
}

/** `DELETE /api/push/subscriptions` with `{ endpoint }`: 200 whether or not it was stored (idempotent). */
export async function handleUnsubscribe(request: Request, routes: PushRoutes): Promise<Response> {
	const body = await readJsonBody(request);
	if ('status' in body) return refuse(body);
	const parsed = parseFields(unsubscribeSchema, body.value, HINTS.unsubscribe);
	if (!parsed.ok) return refuse({ status: 400, ...parsed });
	const removed = routes.subscriptions.remove(parsed.value.endpoint);
	return Response.json({ ok: true, removed }, { headers: NO_STORE });
}

/**
 * Same-origin JSON within MAX_SUBSCRIPTION_BYTES. A cross-site page cannot send `application/json` without a CORS
 * preflight we never answer, and a present `Origin` that is not ours is refused outright.
 */
async function readJsonBody(request: Request): Promise<{ value: unknown } | Refusal> {
	if (isCrossOrigin(request)) {
		return { status: 403, error: 'cross-origin push registrations are not accepted' };
	}
	if (!isJson(request)) {
		return { status: 415, error: 'content-type must be application/json: send the JSON body', field: 'content-type' };
	}
	const bytes = await readLimited(request, MAX_SUBSCRIPTION_BYTES);
	const text = bytes && Buffer.from(bytes).toString('utf8');
	if (text === undefined) {
		return {
			status: 413,
			error: `body: larger than ${MAX_SUBSCRIPTION_BYTES} bytes; send PushSubscription.toJSON()`,
			field: 'body'
		};
	}
	try {
		return { value: JSON.parse(text) };
	} catch {
		return { status: 400, error: 'body: is not valid JSON; send PushSubscription.toJSON()', field: 'body' };
	}
}
