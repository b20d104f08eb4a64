/**
 * All Playwright fixtures. Pages of one BrowserContext are tabs of one browser: they share OPFS, IndexedDB,
 * Web Locks and the SharedWorker, which is what the multi-tab tests need. Another context is another person.
 */
import {
	test as base,
	expect,
	request as playwrightRequest,
	type APIRequestContext,
	type BrowserContext,
	type Page
} from '@playwright/test';
import { startTestServer, type TestServer } from './server';

export interface User {
	context: BrowserContext;
	/** Opens the app in a new tab of this user's browser and waits until it can read the replica. */
	openTab: (path?: string) => Promise<Page>;
}

/** A user without a browser: sends commands over HTTP, as another person's device would. */
export interface ApiUser {
	userId: string;
	send(name: string, args: Record<string, unknown>, id?: string): Promise<{ ok: boolean; offset?: string }>;
	sendMessages(count: number, channelId: string, prefix: string): Promise<void>;
}

export interface Fixtures {
	server: TestServer;
	openTab: (path?: string) => Promise<Page>;
	/** The tab whose DB worker holds the database (waits until there is exactly one). */
	activeTab: () => Promise<Page>;
	/** Another person, with a browser context of their own. */
	newUser: (name: string) => Promise<User>;
	apiUser: (name: string) => Promise<ApiUser>;
}

export const test = base.extend<Fixtures>({
	// eslint-disable-next-line no-empty-pattern -- Playwright requires a destructuring pattern for fixture arguments.
	server: async ({}, use) => {
		const server = await startTestServer();
		await use(server);
		await server.stop();
	},
	openTab: async ({ context, server }, use) => {
		await use(userOf(context, server, 'Tester').openTab);
	},
	activeTab: async ({ context }, use) => {
		await use(async () => {
			let active: Page[] = [];
			await expect
				.poll(async () => {
					const roles = await Promise.all(context.pages().map((page) => roleOf(page)));
					active = context.pages().filter((_, index) => roles[index] === 'active');
					return active.length;
				})
				.toBe(1);
			return active[0];
		});
	},
	newUser: async ({ browser, server }, use) => {
		const contexts: BrowserContext[] = [];
		await use(async (name) => {
			const context = await browser.newContext();
			contexts.push(context);
			return userOf(context, server, name);
		});
		for (const context of contexts) await context.close();
	},
	apiUser: async ({ server }, use) => {
		const clients: APIRequestContext[] = [];
		await use(async (name) => {
			const client = await playwrightRequest.newContext({ baseURL: server.url });
			clients.push(client);
			return apiUserOf(client, server, name);
		});
		for (const client of clients) await client.dispose();
	}
});

export { expect };

function userOf(context: BrowserContext, server: TestServer, name: string): User {
	let signedIn: Promise<unknown> | undefined;
	return {
		context,
		openTab: async (path = '/c/general') => {
			// Choosing a display name is tested on its own; here it is done once per person, by the API.
			await (signedIn ??= apiUserOf(context.request, server, name));
			const page = await context.newPage();
			await page.goto(server.url + path);
			await waitForReplica(page);
			return page;
		}
	};
}

async function apiUserOf(request: APIRequestContext, server: TestServer, name: string): Promise<ApiUser> {
	const session = (await (await request.get(`${server.url}/api/session`)).json()) as { userId: string };
	const send: ApiUser['send'] = async (commandName, args, id = crypto.randomUUID()) => {
		const response = await request.post(`${server.url}/api/commands`, {
			headers: { origin: server.url },
			data: { id, name: commandName, args }
		});
		const result = (await response.json()) as { ok: boolean; offset?: string; error?: string };
		expect(result.ok, result.error).toBe(true);
		return result;
	};
	await send('set_display_name', { name });
	return {
		userId: session.userId,
		send,
		async sendMessages(count, channelId, prefix) {
			for (let i = 0; i < count; i++) {
				await send('send_message', { messageId: crypto.randomUUID(), channelId, body: `${prefix} ${i}` });
			}
		}
	};
}

async function roleOf(page: Page): Promise<string | undefined> {
	if (page.isClosed()) return undefined;
	return page.evaluate(() => window.replica?.role()).catch(() => undefined);
}

/** Resolves once `window.replica` answers a query, i.e. some tab's DB worker serves this tab. */
export async function waitForReplica(page: Page) {
	await page.waitForFunction(() => window.replica !== undefined);
	await page.evaluate(() => window.replica!.query('SELECT 1'));
}

/** Sends a message through the composer, as a person would. */
export async function sendMessage(page: Page, body: string) {
	const composer = page.getByRole('textbox', { name: /Message #/ });
	await composer.fill(body);
	await composer.press('Enter');
	await expect(composer).toHaveValue('');
}

export function messages(page: Page) {
	return page.getByTestId('message');
}

/** The bodies of a channel's timeline in this tab's replica, in stream order. */
export function timelineBodies(page: Page, channelId = 'general'): Promise<string[]> {
	return page.evaluate(
		async (channel) =>
			(
				await window.replica!.query(
					'SELECT body FROM timeline_items WHERE channel_id = ? AND pending = 0 ORDER BY position',
					[channel]
				)
			).map((row) => String(row.body)),
		channelId
	);
}

export async function pendingCount(page: Page): Promise<number> {
	const rows = await page.evaluate(() =>
		window.replica!.query('SELECT count(*) AS n FROM timeline_items WHERE pending = 1')
	);
	return Number(rows[0].n);
}

/** Waits until the service worker controls the page, so that the app shell is cached and offline reloads work. */
export async function waitForServiceWorker(page: Page) {
	await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

/** Makes the page's DB worker a stub that never starts: nothing in that page can come from (or open) the replica. */
export async function stubOutDbWorker(page: Page) {
	await page.addInitScript(() => {
		window.Worker = class {
			onmessage = null;
			postMessage() {}
			terminate() {}
		} as unknown as typeof Worker;
	});
}
