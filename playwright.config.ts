import { defineConfig } from '@playwright/test';

/**
 * Browser tests run against the production build (`npm test` builds first) in Debian's Chromium: Playwright
 * cannot download its own browsers here. Each test starts its own server on a free port with an empty data
 * directory (tests/server.ts), so tests never share state and a test may stop and restart its server.
 */
export default defineConfig({
	testDir: 'tests',
	timeout: 60_000,
	expect: { timeout: 10_000 },
	fullyParallel: false,
	workers: 2,
	// CI runs a failed test once more and reports it as flaky (the summary line names it), so that a rare failure
	// on a loaded host does not hold back the rest; locally a failure is final, to be looked at.
	retries: process.env.CI ? 1 : 0,
	reporter: process.env.CI ? [['line']] : [['list']],
	use: {
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		},
		trace: 'retain-on-failure'
	}
});
