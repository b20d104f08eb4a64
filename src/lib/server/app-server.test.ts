import { describe, expect, it } from 'vitest';
import { configFromEnv } from './app-server.ts';

describe('configFromEnv', () => {
	it('keeps public stream writes off unless REPLICA_PUBLIC_STREAM_WRITES is exactly 1', () => {
		expect(configFromEnv({}).publicStreamWrites).toBe(false);
		expect(configFromEnv({ REPLICA_PUBLIC_STREAM_WRITES: 'true' }).publicStreamWrites).toBe(false);
		expect(configFromEnv({ REPLICA_PUBLIC_STREAM_WRITES: '1' }).publicStreamWrites).toBe(true);
	});

	it('reads the long-poll timeout and names the variable when it is not a positive integer', () => {
		expect(configFromEnv({}).longPollTimeoutMs).toBe(30_000);
		expect(configFromEnv({ REPLICA_LONG_POLL_TIMEOUT_MS: '1500' }).longPollTimeoutMs).toBe(1500);
		expect(() => configFromEnv({ REPLICA_LONG_POLL_TIMEOUT_MS: '1.5s' })).toThrow(/REPLICA_LONG_POLL_TIMEOUT_MS/);
	});
});
