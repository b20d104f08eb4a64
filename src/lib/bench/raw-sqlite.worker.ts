import { runRawSqliteBench } from './raw-sqlite-bench';

// The page names its worker 'opfs' when only the OPFS figures are wanted: in an incognito context, whose OPFS is too
// slow for the random-id run (~1 ms per write).
void runRawSqliteBench((message) => postMessage(message), self.name === 'opfs' ? ['opfs'] : ['memory', 'opfs'], {
	randomIds: self.name !== 'opfs'
});
