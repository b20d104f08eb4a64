/** Helpers for the chat specs, on top of the shared fixtures (re-exported, so a spec imports from one place). */
import type { Page } from '@playwright/test';
import { expect, messages, sendMessage } from './fixtures';

export * from './fixtures';

/**
 * The message that shows `text`, located by its id from then on: the locator still finds it while its text is
 * being edited (a textarea's value is not text content) or after it changed.
 */
export async function messageWithText(page: Page, text: string) {
	const found = messages(page).filter({ hasText: text });
	await expect(found).toHaveCount(1);
	const id = await found.getAttribute('data-message-id');
	return page.locator(`[data-testid="message"][data-message-id="${id}"]`);
}

/** Sends `text` through the composer and waits until the server has confirmed it: edit and delete are offered then. */
export async function sendConfirmed(page: Page, text: string) {
	await sendMessage(page, text);
	const message = await messageWithText(page, text);
	await expect(message).not.toContainText('Sending…');
	return message;
}
