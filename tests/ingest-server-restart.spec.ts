/**
 * Race reproduced: the server dies (SIGKILL) and comes back on the same port and data directory while a burst is
 * being appended and tailed. The live tail's long-poll breaks mid-read, senders retry commands whose answer was
 * lost, and the tail must resume from its cursor once the server is back: every tab ends with every event exactly
 * once, in stream order.
 */
import { expect, test, timelineBodies, waitForServiceWorker } from './fixtures';
import { chatClient, messageBodies, readStream, sendConcurrently } from './soak/chat-client';

const MESSAGES = 1000;
/** Restarts land at these counts of acknowledged messages, i.e. in the middle of the burst. */
const RESTART_AT = new Set([300, 700]);

test.setTimeout(180_000);

test('two tabs get 1,000 messages once each and in order across two server restarts mid-burst', async ({
	openTab,
	server
}) => {
	const tabs = [await openTab(), await openTab()];
	await waitForServiceWorker(tabs[0]);

	const senders = await Promise.all(['Ann', 'Bo', 'Cy', 'Di'].map((name) => chatClient(server.url, name)));
	await sendConcurrently(senders, MESSAGES, 'burst', async (sent) => {
		if (!RESTART_AT.has(sent)) return;
		await server.stop();
		await server.start();
	});

	const sent = messageBodies(await readStream(server.url));
	expect(new Set(sent).size).toBe(MESSAGES);
	expect(sent).toHaveLength(MESSAGES);
	for (const tab of tabs) await expect.poll(() => timelineBodies(tab), { timeout: 60_000 }).toEqual(sent);
});
