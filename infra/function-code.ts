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

/** The file Lambda loads; its `handler` export is the function's handler. */
export const PREBUILT_HANDLER = 'index.handler';

/** The prebuilt function's folder, or undefined when the construct runs from source. */
export function prebuiltFunctionDir(dir: string = PREBUILT_DIR): string | undefined {
  return existsSync(join(dir, 'index.mjs')) ? dir : undefined;
}
