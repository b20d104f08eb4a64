/**
 * The timeline as a window over a long channel: it opens at the newest message, loads older pages as the user
 * scrolls up (keyset on position, never more than a few hundred rows in the window), sticks to the bottom when new
 * messages arrive while the user is there, leaves the user in place when they are reading older messages, and
 * marks messages that are not yet confirmed.
 */
import type { Page } from '@playwright/test';
import { expect, messages, sendMessage, test } from './fixtures';

const scrollToTop = (page: Page) => page.getByRole('log').evaluate((log) => log.scrollTo({ top: 0 }));

test('scrolling up loads older pages until the first message, with a bounded DOM', async ({ openTab, apiUser }) => {
	const bea = await apiUser('Bea');
	await bea.sendMessages(320, 'general', 'hay');
	const page = await openTab();
	await expect(messages(page).filter({ hasText: /hay 319\b/ })).toBeInViewport();

	await expect
		.poll(async () => {
			await scrollToTop(page);
			return messages(page)
				.filter({ hasText: /hay 0\b/ })
				.count();
		})
		.toBe(1);
	expect(await messages(page).count()).toBeLessThanOrEqual(300);
	await expect(page.getByRole('button', { name: 'Jump to latest' })).toBeVisible();

	await page.getByRole('button', { name: 'Jump to latest' }).click();
	await expect(messages(page).filter({ hasText: /hay 319\b/ })).toBeInViewport();
});

test('new messages keep the view at the bottom, but not while reading older ones', async ({ openTab, apiUser }) => {
	const bea = await apiUser('Bea');
	await bea.sendMessages(60, 'general', 'old');
	const page = await openTab();
	await expect(messages(page).filter({ hasText: /old 59\b/ })).toBeInViewport();

	await bea.sendMessages(1, 'general', 'fresh');
	await expect(messages(page).filter({ hasText: /fresh 0\b/ })).toBeInViewport();

	await scrollToTop(page);
	const reading = messages(page).filter({ hasText: /old 0\b/ });
	await expect(reading).toBeInViewport();
	// The new row is below the view, so not rendered (the list is virtual): the list's height shows it arrived.
	const listHeight = () =>
		page
			.getByRole('log')
			.getByRole('list')
			.first()
			.evaluate((list) => list.getBoundingClientRect().height);
	const heightBefore = await listHeight();
	await bea.sendMessages(1, 'general', 'later');
	await expect.poll(listHeight).toBeGreaterThan(heightBefore);
	await expect(reading).toBeInViewport();
	await page.getByRole('button', { name: 'Jump to latest' }).click();
	await expect(messages(page).filter({ hasText: /later 0\b/ })).toBeInViewport();
});

test('a burst of news from several people keeps a reader at the bottom there', async ({ openTab, apiUser }) => {
	const page = await openTab();
	await sendMessage(page, 'before the burst');
	await expect(messages(page).filter({ hasText: 'before the burst' })).toBeInViewport();
	const senders = await Promise.all(['Bea', 'Cal', 'Dee', 'Eli'].map((name) => apiUser(name)));
	// Bodies of one to four lines: rows measure taller or shorter than the virtualiser's estimate as they arrive.
	await Promise.all(
		senders.map(async (sender, s) => {
			for (let i = 0; i < 40; i++) {
				const body = [`burst ${s}-${i}`, ...Array.from({ length: i % 4 }, (_, line) => `line ${line}`)].join('\n');
				await sender.send('send_message', { messageId: crypto.randomUUID(), channelId: 'general', body });
			}
		})
	);
	const burstApplied = async () =>
		(
			await page.evaluate(() =>
				window.replica!.query("SELECT count(*) AS n FROM timeline_items WHERE body LIKE 'burst %' AND pending = 0")
			)
		)[0].n;
	await expect.poll(burstApplied).toBe(senders.length * 40);
	const [{ body: newest }] = await page.evaluate(() =>
		window.replica!.query("SELECT body FROM timeline_items WHERE channel_id = 'general' ORDER BY position DESC LIMIT 1")
	);
	await expect(messages(page).filter({ hasText: String(newest).split('\n')[0] })).toBeInViewport();
	const fromBottom = () => page.getByRole('log').evaluate((log) => log.scrollHeight - log.scrollTop - log.clientHeight);
	await expect.poll(fromBottom).toBeLessThan(40);
	await expect(page.getByRole('button', { name: 'Jump to latest' })).toHaveCount(0);
});

/**
 * A short message's height is known before it is rendered (timeline-layout.ts), so the list places it once: had the
 * guess been off, the row's measure would correct the list's height, and every open tab would update, lay out and
 * scroll once more for each new message.
 */
test('a new short message is placed once: no correction of its height follows', async ({ openTab, apiUser }) => {
	const [bea, cal] = [await apiUser('Bea'), await apiUser('Cal')];
	await bea.sendMessages(5, 'general', 'before');
	const page = await openTab();
	await expect(messages(page).filter({ hasText: /before 4\b/ })).toBeInViewport();
	await page.getByRole('log').evaluate((log) => {
		const list = log.querySelector('ol')!;
		const heights: string[] = ((window as unknown as { listHeights: string[] }).listHeights = []);
		new MutationObserver(() => heights.push(list.style.height)).observe(list, { attributeFilter: ['style'] });
	});
	// One that continues Bea's group, one with a header of its own, and a pending one of this tab's.
	await bea.send('send_message', { messageId: 'continued', channelId: 'general', body: 'continued' });
	await expect(page.locator('[data-message-id="continued"]')).toBeInViewport();
	await cal.send('send_message', { messageId: 'headed', channelId: 'general', body: 'headed' });
	await expect(page.locator('[data-message-id="headed"]')).toBeInViewport();
	await sendMessage(page, 'mine');
	await expect(messages(page).filter({ hasText: 'mine' })).not.toContainText('Sending…');
	await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
	const heights = await page.evaluate(() => (window as unknown as { listHeights: string[] }).listHeights);
	expect(new Set(heights).size).toBe(heights.length);
	expect(heights).toHaveLength(3);
});

/**
 * A tab whose animation frames do not run (a background tab: browsers throttle them) still puts news in its DOM:
 * the view follows the newest row with a scroll in the next frame, and until then that row is rendered below the
 * view rather than left out of the virtual list's range.
 */
test('news is in the DOM of a tab at the bottom before its next animation frame', async ({ openTab, apiUser }) => {
	const bea = await apiUser('Bea');
	await bea.sendMessages(40, 'general', 'before');
	const page = await openTab();
	await expect(messages(page).filter({ hasText: /before 39\b/ })).toBeInViewport();
	await page.evaluate(() => (window.requestAnimationFrame = () => 0));
	for (let i = 0; i < 12; i++) {
		await bea.send('send_message', { messageId: `frameless-${i}`, channelId: 'general', body: `frameless ${i}` });
		await expect(page.locator(`[data-message-id="frameless-${i}"]`)).toBeAttached();
	}
});

test('a message sent offline is marked pending, counted in the status bar, and confirmed online', async ({
	openTab,
	context
}) => {
	const page = await openTab();
	await context.setOffline(true);
	await sendMessage(page, 'written on the train');
	const message = messages(page).filter({ hasText: 'written on the train' });
	await expect(message).toContainText('Sending…');
	await expect(page.getByTestId('pending-writes')).toHaveText(/1 pending/);

	await context.setOffline(false);
	await expect(message).not.toContainText('Sending…');
	await expect(page.getByTestId('pending-writes')).toHaveCount(0);
});
