import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import svelteConfig from './svelte.config.mjs';

export default defineConfig({
	plugins: [sveltekit({ ...svelteConfig, adapter: adapter(), paths: { relative: false } })],
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
