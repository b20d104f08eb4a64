/**
 * The sidebar across people and tabs: a channel one person creates appears for the other without a reload, and
 * unread counts grow with other people's messages and clear when the channel is viewed (in every tab).
 */
import { expect, messages, sendMessage, test } from './fixtures';

test('a channel created in the dialog appears for the other person, who can post in it', async ({
	openTab,
	newUser
}) => {
	const ann = await openTab();
	const bea = await (await newUser('Bea')).openTab();

	await ann.getByRole('button', { name: 'New channel' }).click();
	const dialog = ann.getByRole('dialog', { name: 'New channel' });
	await dialog.getByRole('textbox', { name: 'Name' }).fill('Design Review');
	await dialog.getByRole('button', { name: 'Create channel' }).click();
	await expect(ann).toHaveURL(/\/c\/design-review$/);
	await expect(dialog).toBeHidden();

	const link = bea.getByRole('navigation', { name: 'Channels' }).getByRole('link', { name: /Design Review/ });
	await expect(link).toBeVisible();
	await link.click();
	await expect(bea.getByRole('heading', { level: 1 })).toHaveText('# Design Review');
	await sendMessage(bea, 'first in design');
	await expect(messages(ann).filter({ hasText: 'first in design' })).toHaveCount(1);
});

test('a name that would make an existing channel is refused in the dialog, which stays open', async ({ openTab }) => {
	const page = await openTab();
	const opener = page.getByRole('button', { name: 'New channel' });
	await opener.click();
	const dialog = page.getByRole('dialog', { name: 'New channel' });
	const name = dialog.getByRole('textbox', { name: 'Name' });
	await name.fill('General!');
	await dialog.getByRole('button', { name: 'Create channel' }).click();

	await expect(dialog.getByRole('alert')).toHaveText(/#general already exists.*another name/);
	await expect(dialog).toBeVisible();
	await expect(page).toHaveURL(/\/c\/general$/);
	await name.fill('General chat');
	await dialog.getByRole('button', { name: 'Create channel' }).click();
	await expect(page).toHaveURL(/\/c\/general-chat$/);
	await expect(page.getByTestId('outbox-notice')).toHaveCount(0);
});

test('on a narrow screen, Escape closes the New channel dialog first, then the drawer, and focus returns to ☰', async ({
	openTab
}) => {
	const page = await openTab();
	await page.setViewportSize({ width: 420, height: 800 });
	const menu = page.getByRole('button', { name: 'Channels', exact: true });
	await menu.click();
	await expect(menu).toHaveAttribute('aria-expanded', 'true');
	await page.getByRole('button', { name: 'New channel' }).click();
	const dialog = page.getByRole('dialog', { name: 'New channel' });
	await expect(dialog.getByRole('textbox', { name: 'Name' })).toBeFocused();

	await page.keyboard.press('Escape');
	await expect(dialog).toBeHidden();
	await expect(menu).toHaveAttribute('aria-expanded', 'true');
	await expect(page.getByRole('button', { name: 'New channel' })).toBeFocused();

	await page.keyboard.press('Escape');
	await expect(menu).toHaveAttribute('aria-expanded', 'false');
	await expect(menu).toBeFocused();
});

test('unread counts follow other people’s messages and clear when the channel is viewed', async ({
	openTab,
	apiUser
}) => {
	const first = await openTab();
	const second = await openTab();
	const bea = await apiUser('Bea');
	const randomLink = (page: typeof first) =>
		page.getByRole('navigation', { name: 'Channels' }).getByRole('link', { name: /random/ });

	await bea.sendMessages(3, 'random', 'in random');
	await expect(randomLink(first).getByTestId('unread')).toHaveText(/^\s*3\s*unread\s*$/);
	await expect(randomLink(second).getByTestId('unread')).toHaveText(/3/);

	await sendMessage(first, 'my own messages are never unread');
	await randomLink(first).click();
	await expect(messages(first).filter({ hasText: 'in random 2' })).toBeVisible();

	await expect(randomLink(first).getByTestId('unread')).toHaveCount(0);
	await expect(randomLink(second).getByTestId('unread')).toHaveCount(0);
	const generalLink = second.getByRole('navigation', { name: 'Channels' }).getByRole('link', { name: /general/ });
	await expect(generalLink.getByTestId('unread')).toHaveCount(0);
});
