/** The Playwright fixtures plus `cdpBrowser`: a Chromium over raw CDP (tests/cdp/chromium.ts), closed after the test. */
import { launchChromium, type CdpBrowser, type CdpPage, type OpenOptions } from './chromium';
import { test as base } from '../fixtures';
import { waitUntil } from './wait';

export const test = base.extend<{ cdpBrowser: CdpBrowser }>({
	// eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
	cdpBrowser: async ({}, use) => {
		const browser = await launchChromium();
		await use(browser);
		await browser.close();
	}
});

/** Opens the app and waits until `window.replica` answers, as the `openTab` fixture does for Playwright pages. */
export async function openReplica(browser: CdpBrowser, url: string, options?: OpenOptions): Promise<CdpPage> {
	const page = await browser.openPage(url, options);
	await waitUntil(() => page.evaluate<boolean>(`window.replica?.query('SELECT 1').then(() => true)`), {
		what: `the replica to answer in ${url}`
	});
	return page;
}

/** The bodies of #general's timeline in this tab's replica, in stream order (as `timelineBodies` in fixtures.ts). */
export function timelineBodies(page: CdpPage): Promise<string[]> {
	return page.evaluate(
		`window.replica.query("SELECT body FROM timeline_items WHERE channel_id = 'general' AND pending = 0 ORDER BY position")
			.then((rows) => rows.map((row) => String(row.body)))`
	);
}
