/**
 * The bench's one table: every section returns rows, run.ts prints them (stderr carries progress only) and writes
 * the same table to docs/BENCHMARKS.md.
 */
export interface BenchRow {
	/** Which goal or area the row measures: 'P1', 'P5', 'server', ... */
	area: string;
	name: string;
	unit: string;
	/** The median (or the single measured value when `p95` is absent). */
	p50: number;
	p95?: number;
	/** What the row is compared with, and that figure in the same unit. */
	baseline?: { name: string; value: number };
}

export function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** p50/p95 of repeated measurements of one thing. */
export function summarise(values: number[]): Pick<BenchRow, 'p50' | 'p95'> {
	return values.length > 1 ? { p50: percentile(values, 50), p95: percentile(values, 95) } : { p50: values[0] };
}

export function progress(message: string): void {
	process.stderr.write(`[bench] ${message}\n`);
}

const figure = (value: number | undefined) =>
	value === undefined ? '' : value >= 100 ? Math.round(value).toLocaleString('en-US') : String(+value.toFixed(2));

const columns = ['area', 'measure', 'p50', 'p95', 'unit', 'baseline', 'baseline value', 'ratio'];

function cells(row: BenchRow): string[] {
	const ratio = row.baseline && row.baseline.value ? row.p50 / row.baseline.value : undefined;
	return [
		row.area,
		row.name,
		figure(row.p50),
		figure(row.p95),
		row.unit,
		row.baseline?.name ?? '',
		figure(row.baseline?.value),
		ratio === undefined ? '' : `${ratio.toFixed(2)}x`
	];
}

export function markdownTable(rows: BenchRow[]): string {
	const escape = (cell: string) => cell.replaceAll('|', '\\|');
	return [
		`| ${columns.join(' | ')} |`,
		`|${columns.map(() => '---').join('|')}|`,
		...rows.map((row) => `| ${cells(row).map(escape).join(' | ')} |`)
	].join('\n');
}

export function textTable(rows: BenchRow[]): string {
	const table = [columns, ...rows.map(cells)];
	const widths = columns.map((_, i) => Math.max(...table.map((line) => line[i].length)));
	return table
		.map((line) =>
			line
				.map((cell, i) => cell.padEnd(widths[i]))
				.join('  ')
				.trimEnd()
		)
		.join('\n');
}
