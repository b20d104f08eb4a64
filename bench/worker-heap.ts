/**
 * The JS heap of each dedicated worker of a bench browser, over a raw DevTools connection: no web API reports a
 * worker's heap (performance.memory is the window's; measureUserAgentSpecificMemory needs cross-origin isolation).
 */
import { CdpConnection } from '../tests/cdp/cdp-connection.ts';

interface TargetInfo {
	targetId: string;
	type: string;
}

/** Used JS heap of every dedicated worker, in MB, largest first. */
export async function dedicatedWorkerHeapsMb(endpoint: string): Promise<number[]> {
	const cdp = await CdpConnection.connect(endpoint);
	try {
		const { targetInfos } = await cdp.send<{ targetInfos: TargetInfo[] }>('Target.getTargets');
		const heaps: number[] = [];
		for (const { targetId } of targetInfos.filter((target) => target.type === 'worker')) {
			const { sessionId } = await cdp.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
			const { usedSize } = await cdp.send<{ usedSize: number }>('Runtime.getHeapUsage', {}, sessionId);
			await cdp.send('Target.detachFromTarget', { sessionId });
			heaps.push(usedSize / 1024 / 1024);
		}
		return heaps.sort((a, b) => b - a);
	} finally {
		cdp.close();
	}
}
