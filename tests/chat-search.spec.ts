/**
 * Full-text search over the replica (FTS5): matches are highlighted without interpreting the message as HTML,
 * and a result jumps to its message, in its channel, even when that message is far outside the loaded window.
 * A large catch-up is indexed once its messages are applied, and is then found like any other.
 */
import { expect, test } from './fixtures';
import { seedWhileStopped } from './server';

/** More than one drain batch (10,000 events): the catch-up defers its search indexing. */
const CATCH_UP = 12_000;

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

test('a catch-up too large to index as it is applied is found by search once it is in', async ({ server, openTab }) => {
	await seedWhileStopped(server, CATCH_UP);
	const head = Number(
		(await fetch(`${server.url}/v1/stream/chat`, { method: 'HEAD' })).headers.get('Stream-Next-Offset')
	);
	const page = await openTab();
	const count = async (sql: string) => (await page.evaluate((q) => window.replica!.query(q), sql))[0].n;
	await expect
		.poll(async () => Number((await page.evaluate(() => window.replica!.status())).appliedOffset), { timeout: 60_000 })
		.toBeGreaterThanOrEqual(head);
	await expect.poll(() => count('SELECT count(*) AS n FROM search_queue')).toBe(0);
	// The seeded bodies are all made of the same 13 words, each ending with its own number (`#<i>`).
	expect(await count("SELECT count(*) AS n FROM message_search WHERE message_search MATCH 'replica OR stream'")).toBe(
		await count("SELECT count(*) AS n FROM timeline_items WHERE body LIKE '%replica%' OR body LIKE '%stream%'")
	);

	await page.getByRole('searchbox', { name: 'Search messages' }).fill(String(CATCH_UP - 1));
	const result = page.getByRole('list', { name: 'Search results' }).getByRole('link');
	await expect(result).toHaveCount(1);
	await expect(result.locator('mark')).toHaveText(String(CATCH_UP - 1));
});
