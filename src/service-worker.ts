import { startServiceWorker } from '$lib/sw/service-worker';

startServiceWorker(globalThis as unknown as ServiceWorkerGlobalScope);
