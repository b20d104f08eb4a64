/** Files of the data directory that hold secrets (the session secret, the VAPID keys). */
import { linkSync, unlinkSync, writeFileSync } from 'node:fs';

/**
 * Creates `file` with `content()` unless it exists, readable by this user only. Written to a private temp file and
 * linked into place, so that servers starting at the same instant agree on one file.
 */
export function createPrivateFileOnce(file: string, content: () => string): void {
	const temp = `${file}.${process.pid}.tmp`;
	writeFileSync(temp, content(), { mode: 0o600 });
	try {
		linkSync(temp, file);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
	} finally {
		unlinkSync(temp);
	}
}
