/**
 * The @durable-streams/server-conformance-tests suite against our handler on a temp SQLite log, served by a plain
 * node:http server (the same handler the SvelteKit route uses, without a build).
 *
 * Excluded: the "Fork - *" groups (stream forking is not part of Replica's protocol surface; see
 * conformance-vitest.ts) and subscriptions (off unless the suite is asked for them). Everything else runs and must
 * pass.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { LogStore } from '../log/store.ts';
import { createStreamHandler } from './handler.ts';
import { serveOnNode, type RunningServer } from './node-adapter.ts';

const LONG_POLL_TIMEOUT_MS = 1500;

const options = { baseUrl: '', longPollTimeoutMs: LONG_POLL_TIMEOUT_MS };
let dataDir: string;
let store: LogStore;
let running: RunningServer;

beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'replica-conformance-'));
	store = new LogStore(join(dataDir, 'log.sqlite'));
	const handler = createStreamHandler({ store, publicWrites: true, longPollTimeoutMs: LONG_POLL_TIMEOUT_MS });
	running = await serveOnNode(handler);
	options.baseUrl = running.origin;
});

afterAll(async () => {
	await running?.close();
	store?.close();
	rmSync(dataDir, { recursive: true, force: true });
});

/**
 * The suite package ships its own nested copy of vitest (4.x); its `describe`/`test` would register with that
 * copy's runner, which is not running. Its `vitest` import resolves to conformance-vitest.ts instead: this
 * project's runner, minus the excluded groups. (Node's in-thread module hooks apply to the import() below.)
 */
const SUITE_VITEST = new URL('./conformance-vitest.ts', import.meta.url).href;
registerHooks({
	resolve(specifier, context, nextResolve) {
		const fromSuite = context.parentURL?.includes('/server-conformance-tests/') ?? false;
		return fromSuite && specifier === 'vitest' ? nextResolve(SUITE_VITEST, context) : nextResolve(specifier, context);
	}
});
const { runConformanceTests } = await import('@durable-streams/server-conformance-tests');
runConformanceTests(options);
