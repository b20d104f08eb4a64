import { expect, test } from 'vitest';
import { describeStorageFailure } from './storage-failure';

test('a full disk or an exhausted quota is told as such, with what to do; anything else is quoted', () => {
	const full =
		'This device is out of storage for the replica: free some space; new messages will be saved once there is room.';
	expect(describeStorageFailure(new Error('SQLITE_FULL: sqlite3 result code 13: database or disk is full'))).toBe(full);
	expect(describeStorageFailure(new DOMException('The quota has been exceeded.', 'QuotaExceededError'))).toBe(full);
	expect(describeStorageFailure(new Error('SQLITE_IOERR'))).toBe(
		'The replica could not save new messages (Error: SQLITE_IOERR); it will keep trying.'
	);
});
