/**
 * What the conformance suite sees as `vitest`: this project's runner, except that the groups Replica does not
 * implement are never registered (so they are neither run nor reported as skipped): forks, which are not part of
 * Replica's protocol surface, and the subscription APIs, which the suite runs only on request.
 */
import * as vitest from 'vitest';

export * from 'vitest';

const EXCLUDED_GROUP = /^Fork - /;

export const describe = new Proxy(vitest.describe, {
	apply(target, thisArg, args: Parameters<typeof vitest.describe>) {
		const [name] = args;
		if (typeof name === 'string' && EXCLUDED_GROUP.test(name)) return;
		return Reflect.apply(target, thisArg, args);
	},
	get(target, key, receiver) {
		// Groups the suite itself turns off (`describe.runIf(false)`: the subscription APIs) are left out too.
		if (key === 'runIf') return (condition: unknown) => (condition ? target : () => {});
		return Reflect.get(target, key, receiver);
	}
});
