/**
 * The production build under test: a server on its own data directory (tests/server.ts) that the bench seeds while
 * it is stopped (bench/seed.ts must not run next to a live server), and Debian's Chromium with the tests' flags.
 *
 * Browsers are measured on a profile on disk, as a person's browser is. Playwright's `browser.newContext()` is an
 * off-the-record (incognito) context, whose OPFS lives in the browser process's memory: every access-handle read
 * or write is a round trip to that process, measured at ~1 ms per 8 KB write there against ~45 µs on a profile.
 * The raw sqlite-wasm page also runs in one such context (`newIncognitoContext`) to keep that difference on record.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type APIRequestContext, type Browser, type BrowserContext, type Page } from '@playwright/test';
import config from '../playwright.config.ts';
import { devToolsEndpoint } from '../tests/cdp/chromium.ts';
import { startTestServer, type TestServer } from '../tests/server.ts';

export { seedWhileStopped } from '../tests/server.ts';
import { dedicatedWorkerHeapsMb } from './worker-heap.ts';

export interface AppUnderTest {
	server: TestServer;
	/**
	 * A browser of its own on a fresh profile directory (removed by close()): one person's browser; or, given the
	 * profile of an earlier one (`profileOf`, that browser closed), the same person's browser reopened.
	 */
	newContext(profile?: string): Promise<BrowserContext>;
	profileOf(context: BrowserContext): string;
	/** Used JS heap of each dedicated worker of a newContext() browser, in MB, largest first. */
	workerHeapsMb(context: BrowserContext): Promise<number[]>;
	newIncognitoContext(): Promise<BrowserContext>;
	close(): Promise<void>;
}

export async function startAppUnderTest(): Promise<AppUnderTest> {
	const server = await startTestServer();
	let incognito: Browser | undefined;
	const profiles = new Map<BrowserContext, string>();
	const newContext = async (profile = mkdtempSync(join(tmpdir(), 'replica-bench-profile-'))) => {
		const options = config.use?.launchOptions;
		// Also a DevTools port, for what Playwright does not reach (workerHeapsMb).
		const args = [...(options?.args ?? []), '--remote-debugging-port=0'];
		const context = await chromium.launchPersistentContext(profile, { ...options, args });
		profiles.set(context, profile);
		// A persistent context opens with a blank tab; the benchmarks count the app's tabs among context.pages().
		await Promise.all(context.pages().map((page) => page.close()));
		return context;
	};
	const profileOf = (context: BrowserContext) => {
		const profile = profiles.get(context);
		if (!profile) throw new Error('bench: profileOf needs a browser from newContext()');
		return profile;
	};
	const newIncognitoContext = async () => (incognito ??= await chromium.launch(config.use?.launchOptions)).newContext();
	const workerHeapsMb = async (context: BrowserContext) => {
		const endpoint = devToolsEndpoint(profileOf(context));
		if (!endpoint) throw new Error('bench: the browser of newContext() wrote no DevTools port');
		return dedicatedWorkerHeapsMb(endpoint);
	};
	const close = async () => {
		await Promise.all([...profiles.keys()].map((context) => context.close()));
		await incognito?.close();
		await server.stop();
		// Only once every browser has exited: a closing Chromium still writes into its profile.
		for (const profile of new Set(profiles.values())) rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
	};
	return { server, newContext, profileOf, workerHeapsMb, newIncognitoContext, close };
}

/** The stream head as an event count (offsets are zero-padded counts on this server). */
export async function headCount(server: TestServer): Promise<number> {
	const response = await fetch(`${server.url}/v1/stream/chat`, { method: 'HEAD' });
	return Number(response.headers.get('Stream-Next-Offset'));
}

/**
 * Signs a person in and names them, as the tests' API user does, so no name prompt blocks the UI. Pass a browser
 * context's `request`: it shares the context's cookies.
 */
export async function signIn(request: APIRequestContext, server: TestServer): Promise<void> {
	await request.get(`${server.url}/api/session`);
	const response = await request.post(`${server.url}/api/commands`, {
		headers: { origin: server.url },
		data: { id: crypto.randomUUID(), name: 'set_display_name', args: { name: 'Bench' } }
	});
	if (!response.ok()) throw new Error(`bench: sign-in failed: ${response.status()} ${await response.text()}`);
}

export async function waitForReplica(page: Page): Promise<void> {
	await page.waitForFunction(() => window.replica !== undefined);
}

/** The parent of each process, from /proc/<pid>/stat (its fourth field). */
function parentOf(pid: string): string | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
	} catch {
		return undefined;
	}
}

/**
 * Resident memory of the Chromium renderer processes this bench started (pages and their workers live there), in
 * MB, largest first. Other Chromiums on the machine are not descendants of this process, so they are left out.
 */
export function rendererMemoryMb(): number[] {
	const mine = (pid: string) => {
		for (let at: string | undefined = pid; at && at !== '1'; at = parentOf(at)) {
			if (at === String(process.pid)) return true;
		}
		return false;
	};
	const sizes: number[] = [];
	for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
		try {
			const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
			if (!cmdline.includes('--type=renderer') || !mine(pid)) continue;
			const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
			if (rss) sizes.push(Number(rss[1]) / 1024);
		} catch {
			// The process ended while being read.
		}
	}
	return sizes.sort((a, b) => b - a);
}
