/**
 * The composer keeps what a person typed: one draft per channel, kept across channel switches and reloads and gone
 * once sent; a message the server would refuse (too long) is refused with the reason, the text kept; and the Enter
 * that confirms an input method's composition is the input method's, not a send.
 */
import type { Page } from '@playwright/test';
import { expect, messages, sendMessage, test, timelineBodies } from './fixtures';

const composerOf = (page: Page) => page.getByRole('textbox', { name: /Message #/ });
const channelLink = (page: Page, name: string) =>
	page.getByRole('navigation', { name: 'Channels' }).getByRole('link', { name: new RegExp(`^${name}\\b`) });

test('a draft stays with its channel across channel switches and a reload, and is gone once sent', async ({
	openTab
}) => {
	const page = await openTab();
	await composerOf(page).fill('half a thought for general');

	await channelLink(page, 'random').click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('# random');
	await expect(composerOf(page)).toHaveValue('');
	await composerOf(page).fill('for random');

	await channelLink(page, 'general').click();
	await expect(composerOf(page)).toHaveValue('half a thought for general');
	await page.reload();
	await expect(composerOf(page)).toHaveValue('half a thought for general');

	await composerOf(page).press('Enter');
	await expect(composerOf(page)).toHaveValue('');
	await expect(messages(page).filter({ hasText: 'half a thought for general' })).toHaveCount(1);
	await page.reload();
	await expect(composerOf(page)).toHaveValue('');
	await channelLink(page, 'random').click();
	await expect(composerOf(page)).toHaveValue('for random');
	expect(await timelineBodies(page, 'random')).toEqual([]);
});

test('a message longer than the limit is refused with the reason, and the whole text stays', async ({ openTab }) => {
	const page = await openTab();
	const tooLong = `${'word '.repeat(800)}and one more`;
	// Typed or pasted, as a person does: a maxlength would have cut it at the limit without a word.
	await composerOf(page).focus();
	await page.keyboard.insertText(tooLong);
	await composerOf(page).press('Enter');

	await expect(page.getByRole('alert')).toHaveText(/args\.body.*at most 4000 characters/);
	await expect(composerOf(page)).toHaveValue(tooLong);
	expect(await timelineBodies(page)).toEqual([]);
});

test('the Enter that confirms an input method composition does not send', async ({ openTab }) => {
	const page = await openTab();
	const composer = composerOf(page);
	await composer.fill('にほんご');
	// As Chromium and Firefox flag it, then as Safari sends it (after compositionend, keyCode 229).
	await composer.dispatchEvent('keydown', { key: 'Enter', isComposing: true, bubbles: true, cancelable: true });
	await composer.dispatchEvent('keydown', { key: 'Enter', keyCode: 229, bubbles: true, cancelable: true });
	await expect(composer).toHaveValue('にほんご');
	await composer.press('Enter');
	await expect(composer).toHaveValue('');
	await expect(messages(page).filter({ hasText: 'にほんご' })).toHaveCount(1);
	await sendMessage(page, 'and a plain one');
});
