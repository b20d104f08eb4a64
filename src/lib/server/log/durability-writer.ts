/**
 * Child process of durability.test.ts, run by plain Node: appends batches of events to `crash` through LogStore
 * forever and prints each acknowledged offset, synchronously, right after `appendJson` returns (i.e. after COMMIT).
 * Event n is `{ n }`, n counting from 0 over all runs, so the parent can check order and gaps after a SIGKILL.
 *
 * Usage: node durability-writer.ts <log file>
 */
import { writeSync } from 'node:fs';
import { parseOffset } from '../../shared/offsets.ts';
import { LogStore } from './store.ts';

const file = process.argv[2];
if (!file) throw new Error('usage: node durability-writer.ts <log file>');
const store = new LogStore(file);
store.ensureStream('crash', 'application/json');
let next = parseOffset(store.headOffset('crash') ?? '-1') ?? 0;
for (let batch = 0; ; batch++) {
	const size = 1 + (batch % 5);
	const events = Array.from({ length: size }, (_, i) => ({ n: next + i }));
	const offset = store.appendJson('crash', events);
	next += size;
	writeSync(1, `${offset}\n`);
}
