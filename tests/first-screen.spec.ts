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

test.describe('the remembered picture', () => {
	// The app's code is held back by routing it, which a service worker would answer first.
	test.use({ serviceWorkers: 'block' });

	/**
	 * The race reproduced: the app's JavaScript has not arrived yet (held here until the checks are done), and the
	 * page still shows the channel as it was left, as an inert picture that the app replaces when it mounts.
	 */
	test('a reopened channel is painted before the app code loads, then replaced by the app', async ({
		openTab,
		context,
		server
	}) => {
		const page = await openTab();
		await sendMessage(page, 'pictured');
		await expect(messages(page).filter({ hasText: 'pictured' })).toHaveCount(1);
		await page.close();

		const cold = await context.newPage();
		let release = () => {};
		const released = new Promise<void>((resolve) => (release = resolve));
		await cold.route('**/_app/immutable/bundle.*.js', async (route) => {
			await released;
			await route.continue();
		});
		await cold.goto(`${server.url}/c/general`, { waitUntil: 'commit' });
		const picture = cold.locator('#first-paint');
		await expect(picture.getByText('pictured')).toBeVisible();
		await expect(picture).toHaveAttribute('inert');
		await expect(picture).toHaveAttribute('aria-hidden', 'true');
		await expect(messages(cold)).toHaveCount(0);

		release();
		await expect(messages(cold).filter({ hasText: 'pictured' })).toHaveCount(1);
		await expect(picture).toHaveCount(0);
	});
});
