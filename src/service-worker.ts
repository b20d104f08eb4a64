import { startServiceWorker } from '#lib/sw/service-worker.ts';

startServiceWorker(globalThis as unknown as ServiceWorkerGlobalScope);
