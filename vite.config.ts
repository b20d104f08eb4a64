import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import svelteConfig from './svelte.config.mjs';

export default defineConfig({
	plugins: [
		sveltekit({
			...svelteConfig,
			adapter: adapter(),
			paths: { relative: false },
			// One script and one stylesheet: with ~20 split chunks, their modulepreloads are handled on the page's
			// main thread between the first-paint script and the end of the document, and held the first frame back
			// by ~50-80 ms (bench P5). The app is small (~210 KB minified), and every page needs most of it anyway.
			output: { bundleStrategy: 'single' }
		})
	],
	// sqlite-wasm locates its .wasm file relative to its own module; pre-bundling would move the module away.
	optimizeDeps: { exclude: ['@sqlite.org/sqlite-wasm'] },
	// The DB worker and the coordinator are module workers with imports.
	worker: { format: 'es' },
	test: {
		include: ['src/**/*.test.ts'],
		environment: 'node',
		testTimeout: 20_000
	}
});
