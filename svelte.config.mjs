/**
 * Svelte compiler options, shared by the build (vite.config.ts spreads this file into the plugin), svelte-check and
 * editors. It is .mjs because SvelteKit 3 refuses to start when a svelte.config.js exists.
 * @type {{ compilerOptions: import('svelte/compiler').CompileOptions }}
 */
export default {
	compilerOptions: { runes: true }
};
