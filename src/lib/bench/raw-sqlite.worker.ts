import { runRawSqliteBench } from './raw-sqlite-bench';

// The page names its worker 'opfs' when only the OPFS figures are wanted.
void runRawSqliteBench((message) => postMessage(message), self.name === 'opfs' ? ['opfs'] : ['memory', 'opfs']);
