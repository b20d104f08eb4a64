import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
	SESSION_COOKIE,
	establishSession,
	loadSessionSecret,
	sessionFromCookieHeader,
	signSession,
	verifySession
} from './session';

let dataDir: string;
beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'replica-session-'))));
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the secret', () => {
	test('is made once, 32 bytes, readable only by the owner', () => {
		const secret = loadSessionSecret(dataDir);
		expect(secret).toHaveLength(32);
		expect(statSync(join(dataDir, 'session-secret')).mode & 0o777).toBe(0o600);
		expect(loadSessionSecret(dataDir).equals(secret)).toBe(true);
	});

	test('a damaged secret file is an error that says how to fix it, and is left for inspection', () => {
		const file = join(dataDir, 'session-secret');
		writeFileSync(file, 'c2hvcnQ\n'); // 5 bytes, as a truncated copy might hold
		expect(() => loadSessionSecret(dataDir)).toThrow(/holds 5 bytes, needs 32; delete it to make a new one/);
		expect(readFileSync(file, 'utf8')).toBe('c2hvcnQ\n');
	});
});

describe('signing', () => {
	let secret: Buffer;
	beforeEach(() => (secret = loadSessionSecret(dataDir)));

	test('a signed session verifies to its user', () => {
		expect(verifySession(secret, signSession(secret, 'user-1'))).toBe('user-1');
	});

	test.each([
		['another user id', (value: string) => value.replace('user-1', 'user-2')],
		['a changed signature', (value: string) => value.slice(0, -2) + (value.endsWith('AA') ? 'BB' : 'AA')],
		['no signature', (value: string) => value.split('.')[0]],
		['garbage', () => 'not a session'],
		['an empty value', () => '']
	])('%s does not verify', (_, tamper) => {
		expect(verifySession(secret, tamper(signSession(secret, 'user-1')))).toBeUndefined();
	});

	test('a session signed with another secret does not verify', () => {
		const otherDir = join(dataDir, 'other');
		mkdirSync(otherDir);
		const other = loadSessionSecret(otherDir);
		expect(verifySession(secret, signSession(other, 'user-1'))).toBeUndefined();
	});

	test('the raw Cookie header is read among other cookies', () => {
		const header = `theme=dark; ${SESSION_COOKIE}=${signSession(secret, 'user-1')}; lang=en`;
		expect(sessionFromCookieHeader(secret, header)).toBe('user-1');
		expect(sessionFromCookieHeader(secret, 'theme=dark')).toBeUndefined();
		expect(sessionFromCookieHeader(secret, null)).toBeUndefined();
	});
});

describe('establishSession', () => {
	/** A stand-in for SvelteKit's `cookies` that records what was set. */
	function cookieJar(initial?: string) {
		const set: { name: string; value: string; options: unknown }[] = [];
		return {
			set,
			cookies: {
				get: (name: string) => (name === SESSION_COOKIE ? initial : undefined),
				set: (name: string, value: string, options: unknown) => void set.push({ name, value, options })
			}
		};
	}

	test('a request without a session gets a new user and a year-long HttpOnly, SameSite=Lax cookie', () => {
		const secret = loadSessionSecret(dataDir);
		const jar = cookieJar();
		const userId = establishSession(jar.cookies, secret, true);
		expect(userId).toMatch(/^[0-9a-f-]{36}$/);
		expect(jar.set).toEqual([
			{
				name: SESSION_COOKIE,
				value: signSession(secret, userId),
				options: { path: '/', httpOnly: true, sameSite: 'lax', secure: true, maxAge: 31_536_000 }
			}
		]);
	});

	test('a valid session is kept as is', () => {
		const secret = loadSessionSecret(dataDir);
		const jar = cookieJar(signSession(secret, 'user-1'));
		expect(establishSession(jar.cookies, secret, false)).toBe('user-1');
		expect(jar.set).toEqual([]);
	});

	test('a tampered session is replaced by a new one', () => {
		const secret = loadSessionSecret(dataDir);
		const jar = cookieJar(signSession(secret, 'user-1').replace('user-1', 'user-2'));
		const userId = establishSession(jar.cookies, secret, false);
		expect(userId).not.toBe('user-2');
		expect(jar.set).toHaveLength(1);
		expect(verifySession(secret, jar.set[0].value)).toBe(userId);
	});
});
