/**
 * Crash safety of the log: a writer process is SIGKILLed mid-stream, several times, and after each kill the
 * reopened file must hold every event the writer acknowledged, in order, with gapless offsets.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { parseOffset } from '../../shared/offsets.ts';
import { LogStore } from './store.ts';

const WRITER = fileURLToPath(new URL('./durability-writer.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'replica-durability-'));
const file = join(dir, 'log.sqlite');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the writer until it has acknowledged `acks` batches (plus a few ms more), then SIGKILLs it. */
function runAndKill(acks: number): Promise<number[]> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [WRITER, file], { stdio: ['ignore', 'pipe', 'pipe'] });
		const acknowledged: number[] = [];
		let pending = '';
		let stderr = '';
		let killScheduled = false;
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
		child.stdout.on('data', (chunk: Buffer) => {
			pending += chunk;
			const lines = pending.split('\n');
			pending = lines.pop() ?? '';
			for (const line of lines) acknowledged.push(parseOffset(line) as number);
			if (!killScheduled && acknowledged.length >= acks) {
				killScheduled = true;
				setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 5));
			}
		});
		child.on('exit', (code, signal) => {
			if (signal === 'SIGKILL') resolve(acknowledged);
			else reject(new Error(`writer exited with ${code}, not by SIGKILL: ${stderr}`));
		});
	});
}

it('keeps every acknowledged event across SIGKILLs, ordered and gapless', { timeout: 60_000 }, async () => {
	let highestAcknowledged = 0;
	for (let round = 0; round < 3; round++) {
		const acknowledged = await runAndKill(200);
		expect(acknowledged.length).toBeGreaterThanOrEqual(200);
		highestAcknowledged = Math.max(highestAcknowledged, ...acknowledged);

		const store = new LogStore(file);
		const { messages, nextOffset, upToDate } = store.readJson('crash', '-1', Number.MAX_SAFE_INTEGER);
		store.close();
		expect(upToDate).toBe(true);
		const count = parseOffset(nextOffset) as number;
		expect(count).toBeGreaterThanOrEqual(highestAcknowledged);
		// Message k (0-based) is event k: nothing lost, duplicated or reordered, offsets 1..count without gaps.
		expect(messages.map((text) => JSON.parse(text).n)).toEqual(Array.from({ length: count }, (_, k) => k));
	}
});
