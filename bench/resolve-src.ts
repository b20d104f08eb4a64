/**
 * Lets plain Node 24 (type stripping, no bundler) run scripts that import the app's modules: `#lib/…` imports
 * resolve through package.json on their own; extensionless relative TypeScript imports get `.ts` or `/index.ts`,
 * as Vite would resolve them. Used as `node --import ./bench/resolve-src.ts script.ts`.
 */
import { registerHooks } from 'node:module';

registerHooks({
	resolve(specifier, context, nextResolve) {
		if (!specifier.startsWith('.')) return nextResolve(specifier, context);
		for (const candidate of [specifier, `${specifier}.ts`, `${specifier}/index.ts`]) {
			try {
				return nextResolve(candidate, context);
			} catch (error) {
				const code = (error as { code?: string }).code;
				if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'ERR_UNSUPPORTED_DIR_IMPORT') throw error;
			}
		}
		return nextResolve(specifier, context);
	}
});
