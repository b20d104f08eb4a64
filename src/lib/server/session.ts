/**
 * Identity without accounts: a browser gets a random user id in a signed cookie on its first request and keeps it
 * for a year. The cookie is `<userId>.<HMAC-SHA256(secret, userId), base64url>`; a cookie whose signature does not
 * verify is treated as absent, so tampering only ever yields a fresh identity, never someone else's.
 *
 * The secret is made on first start and kept in `<dataDir>/session-secret` (mode 0600): losing it signs everyone
 * out (they get new user ids); leaking it lets anyone act as anyone.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Cookies } from '@sveltejs/kit';
import { replicaServer } from './app-server';
import { createPrivateFileOnce } from './private-file';

export const SESSION_COOKIE = 'replica_session';
export const SESSION_SECRET_FILE = 'session-secret';
const SESSION_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;
const SECRET_BYTES = 32;
/** User ids we issue are UUIDs; this bound keeps any cookie-supplied id a valid command-schema id. */
const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Reads the secret in `dataDir`, creating it first if there is none. */
export function loadSessionSecret(dataDir: string): Buffer {
	const file = join(dataDir, SESSION_SECRET_FILE);
	createPrivateFileOnce(file, () => `${randomBytes(SECRET_BYTES).toString('base64url')}\n`);
	const secret = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
	if (secret.length < SECRET_BYTES) {
		throw new Error(`${file}: holds ${secret.length} bytes, needs ${SECRET_BYTES}; delete it to make a new one`);
	}
	return secret;
}

let processSecret: Buffer | undefined;

/** The secret of this server's data directory, read once per process. */
export function sessionSecret(): Buffer {
	processSecret ??= loadSessionSecret(replicaServer().dataDir);
	return processSecret;
}

function signature(secret: Buffer, userId: string): Buffer {
	return createHmac('sha256', secret).update(userId).digest();
}

export function signSession(secret: Buffer, userId: string): string {
	return `${userId}.${signature(secret, userId).toString('base64url')}`;
}

/** The user id of a validly signed cookie value, else undefined. */
export function verifySession(secret: Buffer, value: string | undefined): string | undefined {
	if (!value) return undefined;
	const dot = value.lastIndexOf('.');
	const userId = value.slice(0, dot);
	if (dot < 0 || !USER_ID.test(userId)) return undefined;
	const given = Buffer.from(value.slice(dot + 1), 'base64url');
	const expected = signature(secret, userId);
	return given.length === expected.length && timingSafeEqual(given, expected) ? userId : undefined;
}

/** The session user of a raw `Cookie` request header: what the browser sent, before any session was issued. */
export function sessionFromCookieHeader(secret: Buffer, header: string | null): string | undefined {
	for (const pair of header?.split(';') ?? []) {
		const [name, ...value] = pair.trim().split('=');
		if (name === SESSION_COOKIE) return verifySession(secret, value.join('='));
	}
	return undefined;
}

/**
 * The request's user: the verified session cookie's, or a new random one whose cookie is set on the response.
 * `secure` should be true when the app is served over https (the cookie then never travels in clear text).
 */
export function establishSession(cookies: Pick<Cookies, 'get' | 'set'>, secret: Buffer, secure: boolean): string {
	const existing = verifySession(secret, cookies.get(SESSION_COOKIE));
	if (existing) return existing;
	const userId = randomUUID();
	cookies.set(SESSION_COOKIE, signSession(secret, userId), {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure,
		maxAge: SESSION_MAX_AGE_SECONDS
	});
	return userId;
}
