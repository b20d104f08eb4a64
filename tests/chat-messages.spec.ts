/**
 * Messages between two people (two browser contexts, two server sessions): what one does to a message, the
 * other sees without a reload. Edit (inline; Escape cancels) and delete are offered only on one's own messages;
 * a reaction is a toggle whose count both sides see.
 */
import { expect, messages, messageWithText, sendConfirmed, sendMessage, test } from './chat-fixtures';

test('the author edits a message inline and the other person sees the new text', async ({ openTab, newUser }) => {
	const ann = await openTab();
	const bea = await (await newUser('Bea')).openTab();
	await sendMessage(ann, 'first draft');
	const onBea = messages(bea).filter({ hasText: 'first draft' });
	await expect(onBea).toHaveCount(1);

	const mine = await messageWithText(ann, 'first draft');
	await mine.hover();
	await mine.getByRole('button', { name: 'Edit' }).click();
	const editor = mine.getByRole('textbox', { name: 'Edit message' });
	await editor.fill('final text');
	await editor.press('Enter');

	await expect(messages(bea).filter({ hasText: 'final text' })).toContainText('(edited)');
	await expect(messages(bea).filter({ hasText: 'first draft' })).toHaveCount(0);
	await expect(onBea.getByRole('button', { name: 'Edit' })).toHaveCount(0);
});

test('Escape cancels an edit and keeps the message as it was', async ({ openTab }) => {
	const page = await openTab();
	const message = await sendConfirmed(page, 'keep me');
	await message.hover();
	await message.getByRole('button', { name: 'Edit' }).click();
	await message.getByRole('textbox', { name: 'Edit message' }).fill('changed my mind');
	await message.getByRole('textbox', { name: 'Edit message' }).press('Escape');

	await expect(message.getByRole('textbox', { name: 'Edit message' })).toHaveCount(0);
	await expect(message).toContainText('keep me');
	await expect(message).not.toContainText('(edited)');
});

test('an edit in progress is kept when the page reloads, and ends with its save', async ({ openTab }) => {
	const page = await openTab();
	const message = await sendConfirmed(page, 'to be improved');
	const editor = page.getByRole('textbox', { name: 'Edit message' });
	// Opened and left untouched, an edit is not a draft: it does not come back.
	await message.hover();
	await message.getByRole('button', { name: 'Edit' }).click();
	await expect(editor).toBeFocused();
	await page.reload();
	await expect(messages(page).filter({ hasText: 'to be improved' })).toHaveCount(1);
	await expect(editor).toHaveCount(0);

	await message.hover();
	await message.getByRole('button', { name: 'Edit' }).click();
	await editor.fill('improved, halfway');
	await page.reload();
	await expect(editor).toHaveValue('improved, halfway');
	// Reopened from its draft, not by the person: it does not take the keyboard from wherever it is.
	await expect(editor).not.toBeFocused();
	await editor.press('End');
	await editor.pressSequentially(' and done');
	await editor.press('Enter');
	await expect(messages(page).filter({ hasText: 'improved, halfway and done' })).toContainText('(edited)');

	await page.reload();
	await expect(messages(page).filter({ hasText: 'improved, halfway and done' })).toHaveCount(1);
	await expect(page.getByRole('textbox', { name: 'Edit message' })).toHaveCount(0);
});

test('the keyboard goes on from the message after an edit or a delete it did not confirm', async ({ openTab }) => {
	const page = await openTab();
	const message = await sendConfirmed(page, 'by keyboard');

	await message.getByRole('button', { name: 'Edit' }).focus();
	await page.keyboard.press('Enter');
	const editor = message.getByRole('textbox', { name: 'Edit message' });
	await expect(editor).toBeFocused();
	await page.keyboard.type(' again');
	await page.keyboard.press('Enter');
	await expect(message).toContainText('by keyboard again');
	await expect(message).toBeFocused();

	await message.getByRole('button', { name: 'Delete' }).focus();
	await page.keyboard.press('Enter');
	const confirm = message.getByRole('group', { name: 'Confirm delete' });
	await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
	await page.keyboard.press('Escape');
	await expect(confirm).toHaveCount(0);
	await expect(message).toBeFocused();
	await expect(message).toContainText('by keyboard again');
});

test('only the author may delete, and the deleted message leaves the other tab', async ({ openTab, newUser }) => {
	const ann = await openTab();
	const bea = await (await newUser('Bea')).openTab();
	await sendMessage(ann, 'short-lived');
	const onBea = messages(bea).filter({ hasText: 'short-lived' });
	await onBea.hover();
	await expect(onBea.getByRole('button', { name: 'Delete' })).toHaveCount(0);

	const mine = messages(ann).filter({ hasText: 'short-lived' });
	await mine.hover();
	await mine.getByRole('button', { name: 'Delete' }).click();
	await mine.getByRole('group', { name: 'Confirm delete' }).getByRole('button', { name: 'Delete' }).click();

	await expect(onBea).toHaveCount(0);
	await expect(mine).toHaveCount(0);
});

test('reactions toggle and both people see the counts', async ({ openTab, newUser }) => {
	const ann = await openTab();
	const bea = await (await newUser('Bea')).openTab();
	await sendMessage(ann, 'ship it?');
	const onAnn = messages(ann).filter({ hasText: 'ship it?' });
	const onBea = messages(bea).filter({ hasText: 'ship it?' });

	await onBea.hover();
	await onBea.getByRole('button', { name: 'React with 👍' }).click();
	await expect(onAnn.getByRole('button', { name: /^👍 1,/ })).toBeVisible();

	await onAnn.getByRole('button', { name: /^👍 1, react too/ }).click();
	await expect(onBea.getByRole('button', { name: /^👍 2, remove your reaction/ })).toBeVisible();

	await onBea.getByRole('button', { name: /^👍 2/ }).click();
	await expect(onAnn.getByRole('button', { name: /^👍 1, remove your reaction/ })).toBeVisible();
	await expect(onBea.getByRole('button', { name: /^👍 1, react too/ })).toBeVisible();
});
