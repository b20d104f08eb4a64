import { startDbWorker } from './db-worker';

startDbWorker(globalThis as unknown as DedicatedWorkerGlobalScope);
