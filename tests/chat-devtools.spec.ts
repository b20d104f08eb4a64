/**
 * The devtools page, from a follower tab as well as the active one: read-only SQL on the replica, sync position
 * against the server head, and which tab holds the database.
 */
import { expect, test, timelineBodies } from './fixtures';

test('devtools runs read-only SQL and shows sync and tab state from a follower tab', async ({
	openTab,
	activeTab,
	apiUser
}) => {
	await openTab();
	const devtools = await openTab('/devtools');
	const active = await activeTab();
	const activeId = await active.evaluate(() => window.replica!.tabId);
	const thisId = await devtools.evaluate(() => window.replica!.tabId);

	await expect(devtools.getByTestId('this-tab')).toContainText(thisId);
	await expect(devtools.getByTestId('active-tab')).toHaveText(activeId);
	await expect(devtools.getByTestId('server-head')).not.toHaveText('…');
	const head = await devtools.getByTestId('server-head').textContent();
	await expect(devtools.getByTestId('applied-offset')).toHaveText(head!);

	const sql = devtools.getByRole('textbox', { name: /Read-only SQL/ });
	await sql.fill('SELECT id, name FROM channels ORDER BY id');
	await devtools.getByRole('button', { name: 'Run' }).click();
	const table = devtools.getByRole('table').filter({ hasText: 'Result' });
	await expect(table.getByRole('cell', { name: 'general' }).first()).toBeVisible();
	await expect(table.getByRole('row')).toHaveCount(3);

	await sql.fill("DELETE FROM channels WHERE id = 'general'");
	await sql.press('Control+Enter');
	await expect(devtools.getByRole('alert')).toContainText('read-only');

	// SQLite calls BEGIN read-only; left open, it would hold every later write of the replica.
	await sql.fill('BEGIN');
	await sql.press('Control+Enter');
	await expect(devtools.getByRole('alert')).toContainText('no writes, transactions');
	await (
		await apiUser('Author')
	).send('send_message', {
		messageId: crypto.randomUUID(),
		channelId: 'general',
		body: 'still applied after BEGIN'
	});
	await expect.poll(() => timelineBodies(active)).toContain('still applied after BEGIN');
});

/**
 * Rebuilding the read models replays every raw event in the active worker, with the progress shown in every tab.
 * The race reproduced: a message typed while offline sits in the outbox (and on screen) while its projections are
 * wiped and rebuilt; it must survive the rebuild and still be sent exactly once when the network returns.
 */
test('rebuilding the read models shows progress in every tab and keeps messages, search and unsent ones', async ({
	openTab,
	apiUser,
	context
}) => {
	const other = await apiUser('Grace');
	await other.sendMessages(1500, 'general', 'replayed');
	const chat = await openTab();
	await expect(chat.getByText('replayed 1499')).toBeVisible({ timeout: 30_000 });
	const devtools = await openTab('/devtools');
	await context.setOffline(true);
	await chat.getByRole('textbox', { name: /Message/ }).fill('typed offline');
	await chat.keyboard.press('Enter');
	await expect(chat.getByTestId('message').filter({ hasText: 'typed offline' })).toBeVisible();

	await chat.evaluate(() => {
		const seen: string[] = ((window as unknown as { rebuildProgress: string[] }).rebuildProgress = []);
		new MutationObserver(() => {
			const pill = document.querySelector('[data-testid="rebuilding"]');
			if (pill?.textContent && seen.at(-1) !== pill.textContent) seen.push(pill.textContent.trim());
		}).observe(document.body, { childList: true, subtree: true, characterData: true });
	});
	await devtools.getByRole('button', { name: 'Rebuild read models' }).click();
	await expect(devtools.getByRole('status').filter({ hasText: 'Rebuilt from' })).toContainText(/from \d{4} events/);

	const progress = await chat.evaluate(() => (window as unknown as { rebuildProgress: string[] }).rebuildProgress);
	const percents = progress.map((text) => Number(/(\d+)%/.exec(text)?.[1]));
	expect(
		percents.some((percent) => percent > 0 && percent < 100),
		progress.join(' | ')
	).toBe(true);
	await expect(chat.getByTestId('rebuilding')).toHaveCount(0);
	await expect(chat.getByText('replayed 1499')).toBeVisible();
	await expect(chat.getByTestId('message').filter({ hasText: 'typed offline' })).toBeVisible();
	const found = await chat.evaluate(() =>
		window.replica!.query('SELECT count(*) AS n FROM message_search WHERE message_search MATCH \'"replayed"\'')
	);
	expect(found).toEqual([{ n: 1500 }]);

	await context.setOffline(false);
	const mine = () =>
		chat.evaluate(() =>
			window.replica!.query(
				"SELECT count(*) AS n, sum(pending) AS pending FROM timeline_items WHERE body = 'typed offline'"
			)
		);
	await expect.poll(mine, { timeout: 20_000 }).toEqual([{ n: 1, pending: 0 }]);
});
