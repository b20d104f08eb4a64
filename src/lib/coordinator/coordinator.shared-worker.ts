import { startCoordinator } from './coordinator';

startCoordinator(globalThis as unknown as SharedWorkerGlobalScope);
