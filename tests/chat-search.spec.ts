/**
 * Full-text search over the replica (FTS5): matches are highlighted without interpreting the message as HTML,
 * and a result jumps to its message, in its channel, even when that message is far outside the loaded window.
 */
import { expect, test } from './fixtures';

test('a search result is highlighted safely and jumps to an old message in its channel', async ({
	openTab,
	apiUser
}) => {
	const bea = await apiUser('Bea');
	await bea.send('send_message', { messageId: 'needle-1', channelId: 'random', body: 'the <b>needle</b> is here' });
	await bea.sendMessages(150, 'random', 'hay');
	const page = await openTab();
	await expect
		.poll(() =>
			page.evaluate(async () => (await window.replica!.query('SELECT count(*) AS n FROM message_search'))[0].n)
		)
		.toBe(151);

	await page.getByRole('searchbox', { name: 'Search messages' }).fill('needl');
	const result = page.getByRole('list', { name: 'Search results' }).getByRole('link');
	await expect(result).toHaveCount(1);
	await expect(result.locator('mark')).toHaveText('needle');
	await expect(result).toContainText('the <b>needle</b> is here');
	await expect(result.locator('b')).toHaveCount(0);

	await result.click();
	await expect(page).toHaveURL(/\/c\/random\?m=needle-1$/);
	const target = page.locator('[data-message-id="needle-1"]');
	await expect(target).toHaveAttribute('aria-current', 'true');
	await expect(target).toBeInViewport();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('# random');
});

test('search input that is FTS5 syntax is searched for as words, not parsed', async ({ openTab }) => {
	const page = await openTab();
	await page.getByRole('searchbox', { name: 'Search messages' }).fill('"unbalanced NEAR( -x');
	await expect(page.getByRole('status').filter({ hasText: 'No messages match' })).toBeVisible();
	await expect(page.getByRole('alert')).toHaveCount(0);
});
