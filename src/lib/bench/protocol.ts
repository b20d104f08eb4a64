/** Messages between the /bench/raw-sqlite page and its worker; the Node bench runner reads `BenchReport`. */
/** Suffix of the figure measured with random (UUIDv4) message and command ids instead of the app's UUIDv7. */
export const RANDOM_IDS = ', random (v4) ids';

export interface BenchFigure {
	name: string;
	value: number;
	unit: 'rows/s' | 'events/s' | 'ms';
}

export type BenchWorkerMessage =
	| { ns: 'replica-bench'; kind: 'progress'; message: string }
	| { ns: 'replica-bench'; kind: 'done'; figures: BenchFigure[] }
	| { ns: 'replica-bench'; kind: 'failed'; message: string };

export interface BenchReport {
	figures?: BenchFigure[];
	error?: string;
}

declare global {
	interface Window {
		/** Set by the /bench/raw-sqlite page once its worker has finished (or failed). */
		replicaBench?: BenchReport;
	}
}
