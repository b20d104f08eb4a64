/**
 * A cold start paints the channel's newest messages before the replica is up: the remembered first screen. The
 * race reproduced: the page renders while sqlite-wasm is still loading (here: never, its worker is stubbed out).
 */
import { expect, messages, sendMessage, test, stubOutDbWorker } from './fixtures';

test('the last viewed channel is painted from the remembered first screen before the replica answers', async ({
	openTab,
	context,
	server
}) => {
	const page = await openTab();
	await sendMessage(page, 'remembered');
	await expect(messages(page).filter({ hasText: 'remembered' })).toHaveCount(1);
	await expect
		.poll(() => page.evaluate(() => localStorage.getItem('replica:first-screen') ?? ''))
		.toContain('remembered');
	await page.close();

	const cold = await context.newPage();
	await stubOutDbWorker(cold);
	await cold.goto(`${server.url}/c/general`);
	await expect(messages(cold).filter({ hasText: 'remembered' })).toHaveCount(1);
	expect(await cold.evaluate(() => window.replica!.role())).toBe('follower');
});
