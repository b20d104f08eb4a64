/**
 * Starts the built app (adapter-node output in build/) as a child process on a free loopback port with its own
 * data directory, so that a test can stop, restart or wipe its server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestServer {
	url: string;
	dataDir: string;
	stop(): Promise<void>;
	start(): Promise<void>;
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as { port: number };
			probe.close(() => resolve(port));
		});
		probe.on('error', reject);
	});
}

export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
	const port = await freePort();
	const dataDir = mkdtempSync(join(tmpdir(), 'replica-test-'));
	const url = `http://127.0.0.1:${port}`;
	let child: ChildProcess | undefined;

	async function start() {
		child = spawn(process.execPath, ['build/index.js'], {
			env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', ORIGIN: url, REPLICA_DATA_DIR: dataDir },
			stdio: ['ignore', 'ignore', 'inherit']
		});
		for (let attempt = 0; attempt < 100; attempt++) {
			try {
				if ((await fetch(`${url}/v1/stream/chat`, { method: 'HEAD' })).ok) return;
			} catch {
				// not listening yet
			}
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		throw new Error(`test server on ${url} did not start within 10 s`);
	}

	async function stop() {
		const running = child;
		child = undefined;
		if (!running || running.exitCode !== null) return;
		const exited = new Promise((resolve) => running.once('exit', resolve));
		running.kill('SIGKILL');
		await exited;
	}

	await start();
	return { url, dataDir, start, stop };
}

/**
 * Appends `messages` chat messages to the server's log with `npm run seed`'s code: stops the server, seeds, starts
 * it again (the seed must not write next to a live server). For backlogs too large to send command by command.
 */
export async function seedWhileStopped(server: TestServer, messages: number): Promise<void> {
	await server.stop();
	const args = ['--experimental-transform-types', '--disable-warning=ExperimentalWarning'];
	const child = spawn(
		process.execPath,
		[...args, '--import', './bench/resolve-src.ts', 'bench/seed.ts', '--messages', String(messages)],
		{ env: { ...process.env, REPLICA_DATA_DIR: server.dataDir }, stdio: ['ignore', 'ignore', 'inherit'] }
	);
	const code = await new Promise((resolve) => child.once('exit', resolve));
	if (code !== 0) throw new Error(`seeding ${messages} messages failed (exit code ${code})`);
	await server.start();
}
