/**
 * The walking skeleton end to end: a message sent in one tab travels composer → POST /api/commands → event log
 * → service worker live tail → IndexedDB inbox → the active tab's DB worker (sqlite-wasm on OPFS) → live query
 * in every tab.
 */
import { expect, messages, sendMessage, test } from './fixtures';

test('a message sent in tab A appears in tab B without a reload', async ({ openTab }) => {
	const a = await openTab();
	const b = await openTab();

	await sendMessage(a, 'hello from A');

	await expect(messages(b).filter({ hasText: 'hello from A' })).toHaveCount(1);
	await expect(messages(a).filter({ hasText: 'hello from A' })).toHaveCount(1);
});

/** Race reproduced: the tab holding the database goes away while another tab still needs it. */
test('closing the active tab makes another tab active, which keeps every message and can send', async ({
	openTab,
	activeTab
}) => {
	await openTab();
	await openTab();
	const first = await activeTab();
	await sendMessage(first, 'before failover');

	await first.close();
	const next = await activeTab();
	expect(next).not.toBe(first);
	await expect(messages(next).filter({ hasText: 'before failover' })).toHaveCount(1);

	await sendMessage(next, 'after failover');
	await expect(messages(next).filter({ hasText: 'after failover' })).toHaveCount(1);
	const rows = await next.evaluate(() =>
		window.replica!.query("SELECT body FROM timeline_items WHERE channel_id = 'general' ORDER BY position")
	);
	expect(rows.map((row) => row.body)).toEqual(['before failover', 'after failover']);
});

test('after a reload with the server stopped, messages are read from OPFS', async ({ openTab, server }) => {
	const page = await openTab();
	await sendMessage(page, 'kept in OPFS');
	await expect(messages(page).filter({ hasText: 'kept in OPFS' })).toHaveCount(1);

	await server.stop();
	await page.reload();

	await expect(messages(page).filter({ hasText: 'kept in OPFS' })).toHaveCount(1);
	await expect(page.getByTestId('network')).toBeVisible();
	const status = await page.evaluate(() => window.replica!.status());
	expect(status.activeTabId).toBe(await page.evaluate(() => window.replica!.tabId));
});
