/**
 * Storage failures surface clearly instead of leaving a blank page. Reproduced: a browser that offers no origin
 * private file system (private browsing in some browsers), so the replica cannot be opened on OPFS.
 */
import { expect, sendMessage, test, timelineBodies, stubOutDbWorker } from './fixtures';

test('without OPFS the replica runs in memory, says so, and still works', async ({ context, openTab, apiUser }) => {
	await context.addInitScript(() =>
		Object.defineProperty(StorageManager.prototype, 'getDirectory', { value: undefined })
	);
	const other = await apiUser('Other');
	await other.sendMessages(2, 'general', 'from the server');

	const page = await openTab();
	await expect(page.getByTestId('storage-problem')).toContainText('Working in memory');
	expect((await page.evaluate(() => window.replica!.status())).storage).toBe('memory');
	await expect.poll(() => timelineBodies(page)).toEqual(['from the server 0', 'from the server 1']);
	await sendMessage(page, 'typed in memory mode');
	await expect.poll(() => timelineBodies(page)).toContain('typed in memory mode');
});

test('a replica that starts over re-reads the log even though the inbox was already drained', async ({
	context,
	openTab,
	apiUser,
	server
}) => {
	const other = await apiUser('Other');
	await other.sendMessages(3, 'general', 'old');
	const page = await openTab();
	await expect.poll(() => timelineBodies(page)).toEqual(['old 0', 'old 1', 'old 2']);
	await page.close();

	// Wipe OPFS while no DB worker holds it (as clearing one kind of site data would), keeping IndexedDB's cursor.
	const wiper = await context.newPage();
	await stubOutDbWorker(wiper);
	await wiper.goto(`${server.url}/c/general`);
	const left = await wiper.evaluate(async () => {
		const root = (await navigator.storage.getDirectory()) as FileSystemDirectoryHandle & {
			keys(): AsyncIterable<string>;
		};
		for await (const name of root.keys()) await root.removeEntry(name, { recursive: true });
		const names = [];
		for await (const name of root.keys()) names.push(name);
		return names;
	});
	expect(left).toEqual([]);
	await wiper.close();

	const fresh = await openTab();
	await expect.poll(() => timelineBodies(fresh)).toEqual(['old 0', 'old 1', 'old 2']);
});
