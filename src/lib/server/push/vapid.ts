/**
 * The server's VAPID identity (RFC 8292): the key pair that signs every push request, made on first start and kept
 * in `<dataDir>/vapid.json` (mode 0600). Browsers subscribe with the public key, so a new key pair silently orphans
 * every existing subscription (push services refuse pushes signed by another key); leaking the private key lets
 * anyone who also learns the endpoints send pushes in this server's name.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import webPush from 'web-push';
import { createPrivateFileOnce } from '../private-file.ts';

export const VAPID_FILE = 'vapid.json';

/** Both keys in base64url: the public key is an uncompressed P-256 point (65 bytes), the private key 32 bytes. */
export interface VapidKeys {
	publicKey: string;
	privateKey: string;
}

/** Reads the key pair in `dataDir`, creating it first if there is none. */
export function loadVapidKeys(dataDir: string): VapidKeys {
	const file = join(dataDir, VAPID_FILE);
	createPrivateFileOnce(file, () => {
		const { publicKey, privateKey } = webPush.generateVAPIDKeys();
		return `${JSON.stringify({ publicKey, privateKey } satisfies VapidKeys)}\n`;
	});
	const keys = parseKeyFile(readFileSync(file, 'utf8'));
	if (!keys) {
		throw new Error(
			`${file}: is not {"publicKey","privateKey"} in base64url (65 and 32 bytes); ` +
				'delete it to make a new pair (every browser must then subscribe again)'
		);
	}
	return keys;
}

function parseKeyFile(text: string): VapidKeys | undefined {
	try {
		const { publicKey, privateKey } = JSON.parse(text) as Partial<VapidKeys>;
		if (typeof publicKey !== 'string' || typeof privateKey !== 'string') return undefined;
		if (Buffer.from(publicKey, 'base64url').length !== 65) return undefined;
		if (Buffer.from(privateKey, 'base64url').length !== 32) return undefined;
		return { publicKey, privateKey };
	} catch {
		return undefined;
	}
}
