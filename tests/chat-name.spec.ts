/**
 * First visit: the display-name dialog is a real modal (focus starts in it, Escape does not dismiss it), and the
 * chosen name is what the other person sees next to the messages.
 */
import { expect, messages, sendMessage, test, waitForReplica } from './fixtures';

test('a new person picks a display name that the other person sees', async ({ browser, server, openTab }) => {
	const other = await openTab();
	const context = await browser.newContext();
	const page = await context.newPage();
	await page.goto(`${server.url}/c/general`);
	await waitForReplica(page);

	const dialog = page.getByRole('dialog', { name: 'What should others call you?' });
	await expect(dialog).toBeVisible();
	const name = dialog.getByRole('textbox', { name: 'Display name' });
	await expect(name).toBeFocused();
	await page.keyboard.press('Escape');
	await expect(dialog).toBeVisible();

	await name.fill('Grace');
	await name.press('Enter');
	await expect(dialog).toBeHidden();
	await sendMessage(page, 'hello, I am new');
	await expect(messages(other).filter({ hasText: 'hello, I am new' })).toContainText('Grace');
	await context.close();
});
