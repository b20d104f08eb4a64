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
		testTimeout: 20_000,
		projects: [
			{ extends: true, test: { name: 'node', include: ['src/**/*.test.ts'], exclude: ['src/**/*.svelte.test.ts'] } },
			// Runes modules under test need Svelte's client runtime (effects, reactivity), not its server build.
			{
				extends: true,
				resolve: { conditions: ['browser'] },
				test: { name: 'runes', include: ['src/**/*.svelte.test.ts'], environment: './tests/unit/client-environment.ts' }
			}
		]
	}
});
