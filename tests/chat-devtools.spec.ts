/**
 * The devtools page, from a follower tab as well as the active one: read-only SQL on the replica, sync position
 * against the server head, and which tab holds the database.
 */
import { expect, test } from './fixtures';

test('devtools runs read-only SQL and shows sync and tab state from a follower tab', async ({ openTab, activeTab }) => {
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
});
