/**
 * What `POST /api/push/subscriptions` accepts: `PushSubscription.toJSON()`. The keys are checked by their decoded
 * length so that a bad subscription is refused here, with the field named, rather than failing every push later.
 *
 * Endpoints must be https: the server POSTs to whatever is registered, so an http endpoint would let anyone aim
 * the server at plain-HTTP services inside its network. `allowLoopbackHttp` (tests with a local fake push
 * service) lets http://127.0.0.1 / localhost / [::1] through, and nothing else.
 */
import * as v from 'valibot';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const MAX_ENDPOINT_LENGTH = 2048;

const SUBSCRIPTION_HINT = 'send PushSubscription.toJSON()';
const UNSUBSCRIBE_HINT = 'send {"endpoint": <the subscription endpoint>}';

const base64urlOfLength = (bytes: number, what: string) =>
	v.pipe(
		v.string(`must be a string; ${SUBSCRIPTION_HINT}`),
		v.regex(/^[A-Za-z0-9_-]+=*$/, `is not base64url; ${SUBSCRIPTION_HINT}`),
		v.check((text) => Buffer.from(text, 'base64url').length === bytes, `must be ${what} (${bytes} bytes)`)
	);

function isPushEndpoint(text: string, allowLoopbackHttp: boolean): boolean {
	const url = URL.parse(text);
	if (url?.protocol === 'https:') return true;
	return allowLoopbackHttp && url?.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

export function subscriptionSchema(options: { allowLoopbackHttp: boolean }) {
	return v.object({
		endpoint: v.pipe(
			v.string(`must be a string; ${SUBSCRIPTION_HINT}`),
			v.maxLength(MAX_ENDPOINT_LENGTH, `is longer than ${MAX_ENDPOINT_LENGTH} characters`),
			v.check((text) => URL.canParse(text), 'is not a URL: send the endpoint the browser gave you'),
			v.check(
				(text) => isPushEndpoint(text, options.allowLoopbackHttp),
				'must be an https URL (a push service endpoint)'
			)
		),
		keys: v.object({
			p256dh: base64urlOfLength(65, 'an uncompressed P-256 public key'),
			auth: base64urlOfLength(16, 'an authentication secret')
		})
	});
}

export const unsubscribeSchema = v.object({ endpoint: v.string(`must be a string; ${UNSUBSCRIBE_HINT}`) });

export const HINTS = { subscribe: SUBSCRIPTION_HINT, unsubscribe: UNSUBSCRIBE_HINT };

export type FieldResult<T> = { ok: true; value: T } | { ok: false; field: string; error: string };

/**
 * Parses `input`; a failure names the first bad field (dot path; `body` for the whole body) and how to fix it.
 * A missing field or a body that is no object fails an object schema, whose own message would not say which:
 * those two messages are made here, with `hint`.
 */
export function parseFields<T>(schema: v.GenericSchema<unknown, T>, input: unknown, hint: string): FieldResult<T> {
	const result = v.safeParse(schema, input);
	if (result.success) return { ok: true, value: result.output };
	const issue = result.issues[0];
	const field = v.getDotPath(issue) ?? 'body';
	if (issue.type === 'object') {
		const problem = issue.input === undefined ? 'is missing' : 'must be a JSON object';
		return { ok: false, field, error: `${field}: ${problem}; ${hint}` };
	}
	return { ok: false, field, error: `${field}: ${issue.message}` };
}
