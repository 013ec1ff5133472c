/**
 * Where the function's code comes from. The published package carries the function prebuilt
 * (`dist/function/index.mjs`, made by `npm run build` with the bundling definition of
 * ./function-bundling.ts), beside the compiled construct in `dist/infra/`: a consumer's synth then needs
 * neither esbuild nor Docker, and the asset hash is the same on every machine. Run from this
 * repository's TypeScript sources, the construct bundles the function from source instead.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder a compiled construct finds its prebuilt function in (the sources have none beside them). */
const PREBUILT_DIR = fileURLToPath(new URL('../function/', import.meta.url));

/**
 * The bundle's entry points: `handler` is the push function's (the EventBridge rule's target),
 * `writeHandler` the write queue's writer (functions/image-push.ts re-exports it): one bundle, two
 * functions.
 */
export type FunctionEntryPoint = 'handler' | 'writeHandler';

/** What Lambda calls for `entryPoint`: the export of the file it loads, `index.mjs`. */
export function prebuiltHandler(entryPoint: FunctionEntryPoint): string {
  return `index.${entryPoint}`;
}

/** The prebuilt function's folder, or undefined when the construct runs from source. */
export function prebuiltFunctionDir(dir: string = PREBUILT_DIR): string | undefined {
  return existsSync(join(dir, 'index.mjs')) ? dir : undefined;
}
