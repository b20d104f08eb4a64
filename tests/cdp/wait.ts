/** Polling for scripts that run outside Playwright's `expect.poll` (the soak) and for the CDP harness itself. */

export interface WaitOptions {
	/** What is awaited, for the timeout's message ("Chromium to listen for CDP"). */
	what: string;
	timeoutMs?: number;
	intervalMs?: number;
}

/** Resolves with the first truthy value `probe` returns; a probe that throws counts as "not yet". */
export async function waitUntil<T>(
	probe: () => T | undefined | false | Promise<T | undefined | false>,
	{ what, timeoutMs = 15_000, intervalMs = 100 }: WaitOptions
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown;
	for (;;) {
		try {
			const value = await probe();
			if (value) return value;
		} catch (error) {
			lastError = error;
		}
		if (Date.now() > deadline) {
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${lastError}` : ''}`);
		}
		await sleep(intervalMs);
	}
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
