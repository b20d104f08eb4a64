/**
 * All Playwright fixtures. Pages of one BrowserContext are tabs of one browser: they share OPFS, IndexedDB,
 * Web Locks and the SharedWorker, which is what the multi-tab tests need.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { startTestServer, type TestServer } from './server';

export interface Fixtures {
	server: TestServer;
	/** Opens the app in a new tab of the test's context and waits until it can read the replica. */
	openTab: (path?: string) => Promise<Page>;
	/** The tab whose DB worker holds the database (waits until there is exactly one). */
	activeTab: () => Promise<Page>;
}

export const test = base.extend<Fixtures>({
	server: async ({}, use) => {
		const server = await startTestServer();
		await use(server);
		await server.stop();
	},
	openTab: async ({ context, server }, use) => {
		let named = false;
		await use(async (path = '/c/general') => {
			if (!named) {
				// Choosing a display name is tested on its own; here it is done once per context, by the API.
				await context.request.get(`${server.url}/api/session`);
				const response = await context.request.post(`${server.url}/api/commands`, {
					headers: { origin: server.url },
					data: { id: crypto.randomUUID(), name: 'set_display_name', args: { name: 'Tester' } }
				});
				expect(response.status(), await response.text()).toBe(200);
				named = true;
			}
			const page = await context.newPage();
			await page.goto(server.url + path);
			await waitForReplica(page);
			return page;
		});
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
	}
});

export { expect };

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
