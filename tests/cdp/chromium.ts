/**
 * Debian's Chromium driven over raw CDP: launched with the flags of playwright.config.ts, a fresh profile and
 * `--remote-debugging-port`, so that pages behave as in a user's browser. Playwright cannot give us that: it
 * attaches DevTools to every service worker (which switches off their timeouts) and keeps every page visible.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import playwrightConfig from '../../playwright.config';
import { CdpConnection } from './cdp-connection';
import { waitUntil } from './wait';

export interface OpenOptions {
	/** In a window of its own, so that it stays visible whatever happens to the other windows. */
	newWindow?: boolean;
	/** With SharedWorker removed before the page's code runs, as older Android Chrome is for the app. */
	withoutSharedWorker?: boolean;
}

/**
 * A mouse, as Playwright's pages have one: headless Chromium on a machine without a pointing device matches
 * `(hover: none)`, and the app shows its touch layout (every row's actions always visible).
 */
const DESKTOP_POINTER =
	'--blink-settings=primaryHoverType=2,availableHoverTypes=2,primaryPointerType=4,availablePointerTypes=4';

const WITHOUT_SHARED_WORKER = `Object.defineProperty(window, 'SharedWorker', { value: undefined })`;

export interface CdpBrowser {
	cdp: CdpConnection;
	/** Opens `url` in a new tab (which comes to the front, hiding the tab that was there) and attaches to it. */
	openPage(url: string, options?: OpenOptions): Promise<CdpPage>;
	close(): Promise<void>;
}

export class CdpPage {
	readonly cdp: CdpConnection;
	readonly targetId: string;
	readonly sessionId: string;

	constructor(cdp: CdpConnection, targetId: string, sessionId: string) {
		this.cdp = cdp;
		this.targetId = targetId;
		this.sessionId = sessionId;
	}

	/** Evaluates `expression` in the page (awaiting a promise) and returns its JSON value; page errors are thrown. */
	async evaluate<T>(expression: string): Promise<T> {
		const { result, exceptionDetails } = await this.cdp.send<{
			result: { value?: T };
			exceptionDetails?: { exception?: { description?: string }; text: string };
		}>('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }, this.sessionId);
		if (exceptionDetails) {
			throw new Error(`page: ${exceptionDetails.exception?.description ?? exceptionDetails.text} in ${expression}`);
		}
		return result.value as T;
	}

	visibilityState(): Promise<DocumentVisibilityState> {
		return this.evaluate('document.visibilityState');
	}

	/** Reloads the page and resolves once the new document is the one evaluated in. */
	async reload(): Promise<void> {
		const before = await this.evaluate<number>('performance.timeOrigin');
		await this.cdp.send('Page.reload', {}, this.sessionId);
		await waitUntil(async () => (await this.evaluate<number>('performance.timeOrigin')) !== before, {
			what: 'the page to reload'
		});
	}

	/** Brings this tab to the front again (the tab that covered it turns hidden). */
	async show(): Promise<void> {
		await this.cdp.send('Target.activateTarget', { targetId: this.targetId });
		await waitUntil(async () => (await this.visibilityState()) === 'visible', { what: 'the tab to turn visible' });
	}

	async close(): Promise<void> {
		await this.cdp.send('Target.closeTarget', { targetId: this.targetId });
	}
}

export interface LaunchOptions {
	/** A profile to open (kept on close), as a person's browser reopens; a fresh one (removed on close) otherwise. */
	userDataDir?: string;
}

export async function launchChromium({ userDataDir: profile }: LaunchOptions = {}): Promise<CdpBrowser> {
	const userDataDir = profile ?? mkdtempSync(join(tmpdir(), 'replica-cdp-'));
	const flags = playwrightConfig.use?.launchOptions?.args ?? [];
	// A reopened profile still names the port of the browser that had it last.
	rmSync(join(userDataDir, 'DevToolsActivePort'), { force: true });
	const chromium = spawn(
		process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		[
			...flags,
			'--headless',
			DESKTOP_POINTER,
			`--user-data-dir=${userDataDir}`,
			'--remote-debugging-port=0',
			'about:blank'
		],
		{ stdio: 'ignore' }
	);
	const exited = new Promise((resolve) => chromium.once('exit', resolve));
	// Chromium writes the port it chose and the browser target's path into the profile once it listens.
	const endpoint = await waitUntil(() => devToolsEndpoint(userDataDir), { what: 'Chromium to listen for CDP' });
	const cdp = await CdpConnection.connect(endpoint);

	return {
		cdp,
		async openPage(url, { newWindow = false, withoutSharedWorker = false } = {}) {
			const { targetId } = await cdp.send<{ targetId: string }>('Target.createTarget', {
				url: withoutSharedWorker ? 'about:blank' : url,
				newWindow
			});
			const { sessionId } = await cdp.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
			if (withoutSharedWorker) {
				await cdp.send('Page.enable', {}, sessionId);
				await cdp.send('Page.addScriptToEvaluateOnNewDocument', { source: WITHOUT_SHARED_WORKER }, sessionId);
				await cdp.send('Page.navigate', { url }, sessionId);
			}
			return new CdpPage(cdp, targetId, sessionId);
		},
		async close() {
			cdp.close();
			chromium.kill('SIGTERM');
			await exited;
			if (profile) return;
			// Chromium's helper processes can still be writing into the profile for a moment after the browser exits
			// (seen in CI as ENOTEMPTY): rmSync retries those errors.
			rmSync(userDataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
		}
	};
}

/** The DevTools endpoint a Chromium started with `--remote-debugging-port=0` wrote into its profile, once it listens. */
export function devToolsEndpoint(userDataDir: string): string | undefined {
	try {
		const [port, path] = readFileSync(join(userDataDir, 'DevToolsActivePort'), 'utf8').split('\n');
		return port && path ? `ws://127.0.0.1:${port}${path}` : undefined;
	} catch {
		return undefined; // not written yet
	}
}
