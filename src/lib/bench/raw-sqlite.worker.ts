import { runRawSqliteBench } from './raw-sqlite-bench';

void runRawSqliteBench((message) => postMessage(message));
