/**
 * Vitest environment for runes modules (`*.svelte.test.ts`): Node's globals, but modules transformed for the client,
 * so that Svelte compiles them with its client runtime (effects and reactivity), which a Node (SSR) transform drops.
 */
import type { Environment } from 'vitest/runtime';

export default {
	name: 'client-node',
	viteEnvironment: 'client',
	setup: () => ({ teardown() {} })
} satisfies Environment;
