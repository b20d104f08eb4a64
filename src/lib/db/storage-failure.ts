/** What the status bar says when a batch could not be written; the batch changed nothing and is retried. */
export function describeStorageFailure(error: unknown): string {
	const text = String(error);
	return /SQLITE_FULL|QuotaExceeded|quota/i.test(text)
		? 'This device is out of storage for the replica: free some space; new messages will be saved once there is room.'
		: `The replica could not save new messages (${text}); it will keep trying.`;
}
