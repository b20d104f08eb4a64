/**
 * The @durable-streams/server-conformance-tests suite against our handler on a temp SQLite log, served by a plain
 * node:http server (the same handler the SvelteKit route uses, without a build).
 *
 * Excluded: the "Fork - *" groups (stream forking is not part of Replica's protocol surface) and subscriptions
 * (off unless the suite is asked for them). Everything else runs and must pass.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { LogStore } from '../log/store.ts';
import { createStreamHandler } from './handler.ts';
import { serveOnNode, type RunningServer } from './node-adapter.ts';

const LONG_POLL_TIMEOUT_MS = 1500;
const EXCLUDED_GROUP = /^Fork - /;

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

beforeEach((context) => {
	for (let suite = context.task.suite; suite; suite = suite.suite) {
		if (EXCLUDED_GROUP.test(suite.name)) context.skip();
	}
});

/**
 * The suite package ships its own nested copy of vitest (4.x); its `describe`/`test` would register with that
 * copy's runner, which is not running. Resolve its `vitest` import from this file instead, so the suite registers
 * with the runner that runs this file. (Node's in-thread module hooks apply to the import() below.)
 */
registerHooks({
	resolve(specifier, context, nextResolve) {
		const fromSuite = context.parentURL?.includes('/server-conformance-tests/') ?? false;
		return nextResolve(specifier, fromSuite && specifier === 'vitest' ? { ...context, parentURL: import.meta.url } : context);
	}
});
const { runConformanceTests } = await import('@durable-streams/server-conformance-tests');
runConformanceTests(options);
