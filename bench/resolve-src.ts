/**
 * Lets plain Node 24 (type stripping, no bundler) run scripts that import the app's modules: `$lib/x` maps to
 * src/lib/x, and extensionless TypeScript imports get `.ts` or `/index.ts`, as Vite would resolve them.
 * Used as `node --import ./bench/resolve-src.ts script.ts`.
 */
import { registerHooks } from 'node:module';

const LIB = new URL('../src/lib/', import.meta.url);

registerHooks({
	resolve(specifier, context, nextResolve) {
		const mapped = specifier.startsWith('$lib/') ? new URL(specifier.slice(5), LIB).href : specifier;
		const local = mapped !== specifier || specifier.startsWith('.');
		if (!local) return nextResolve(specifier, context);
		for (const candidate of [mapped, `${mapped}.ts`, `${mapped}/index.ts`]) {
			try {
				return nextResolve(candidate, context);
			} catch (error) {
				const code = (error as { code?: string }).code;
				if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'ERR_UNSUPPORTED_DIR_IMPORT') throw error;
			}
		}
		return nextResolve(mapped, context);
	}
});
