/**
 * How the function is bundled, in one place: the construct hands {@link functionBundling} to
 * `NodejsFunction`, and `bench/bundle.bench.ts` builds the same bundle with esbuild's API from
 * {@link functionBuildOptions}, so the benchmark measures what ships. Both derive from one description,
 * {@link FUNCTION_BUNDLE}.
 */
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetStaging } from 'aws-cdk-lib';
import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';

/** The handler's source: what the function bundles. */
export const FUNCTION_ENTRY = fileURLToPath(new URL('../functions/image-push.ts', import.meta.url));
const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

const yamlCommonJs = createRequire(import.meta.url).resolve('yaml');

/**
 * Modules the bundle takes from elsewhere than the imports say, by import path (absolute file paths).
 * The substitutes apply to the Lambda bundle only: the CLI and the tests run the real modules.
 */
export const BUNDLE_SUBSTITUTES: Readonly<Record<string, string>> = {
  // In Lambda the role's credentials are in the environment, the first link of the SDK's default chain;
  // the other links (SSO, INI files, processes, web identity, metadata services) and the STS and SSO
  // clients they bring are about 133 KiB the function never runs.
  '@aws-sdk/credential-provider-node': fileURLToPath(
    new URL('./bundle/credential-provider-node.ts', import.meta.url),
  ),
  // Loaded by the SDK only for an operation with an event stream; the function sends none.
  '@smithy/core/event-streams': fileURLToPath(new URL('./bundle/smithy-event-streams.ts', import.meta.url)),
  // yaml's ES module build: the same source as the CommonJS build that the `node` condition picks, but
  // one esbuild can tree-shake.
  yaml: join(dirname(yamlCommonJs), '..', 'browser', 'dist', 'index.js'),
};

/** The bundle, described once. */
export const FUNCTION_BUNDLE = {
  format: 'esm',
  target: 'node22',
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  // Some dependencies are CommonJS and require Node built-ins; ESM has no `require` of its own.
  banner: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);",
} as const;

/**
 * Where an alias points, as esbuild reads it: relative to its working directory (`./...`) when that is
 * the project root, else absolute.
 */
function aliasTarget(file: string, projectRoot: string | undefined): string {
  if (projectRoot === undefined) return file;
  const path = relative(projectRoot, file);
  if (path.startsWith('..') || isAbsolute(path)) return file;
  return `./${path.split(sep).join('/')}`;
}

function aliases(projectRoot: string | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(BUNDLE_SUBSTITUTES).map(([name, file]) => [name, aliasTarget(file, projectRoot)]),
  );
}

/**
 * `NodejsFunction`'s bundling options. `projectRoot` is the one given to the function, where esbuild
 * runs; leave it out when CDK finds it.
 */
export function functionBundling(projectRoot?: string): BundlingOptions {
  return {
    format: OutputFormat.ESM,
    target: FUNCTION_BUNDLE.target,
    minify: FUNCTION_BUNDLE.minify,
    sourceMap: FUNCTION_BUNDLE.sourceMap,
    sourcesContent: FUNCTION_BUNDLE.sourcesContent,
    mainFields: [...FUNCTION_BUNDLE.mainFields],
    // Our pinned SDK, tree-shaken to the commands we send, not the runtime's.
    externalModules: [],
    banner: FUNCTION_BUNDLE.banner,
    // Local bundling runs esbuild at the project root; CDK's Docker fallback mounts it here.
    ...(projectRoot === undefined ? {} : { workingDirectory: AssetStaging.BUNDLING_INPUT_DIR }),
    esbuildArgs: {
      '--alias': Object.entries(aliases(projectRoot)).map(([name, target]) => `${name}=${target}`),
    },
  };
}

/**
 * The same build as esbuild's `BuildOptions` (structurally; infra does not depend on esbuild's types),
 * with CDK's fixed settings (bundle, node platform, `index.mjs`, the project root as working directory)
 * spelled out.
 */
export function functionBuildOptions(outdir: string) {
  return {
    entryPoints: [FUNCTION_ENTRY],
    bundle: true,
    platform: 'node' as const,
    format: FUNCTION_BUNDLE.format,
    target: FUNCTION_BUNDLE.target,
    minify: FUNCTION_BUNDLE.minify,
    sourcemap: FUNCTION_BUNDLE.sourceMap,
    sourcesContent: FUNCTION_BUNDLE.sourcesContent,
    mainFields: [...FUNCTION_BUNDLE.mainFields],
    banner: { js: FUNCTION_BUNDLE.banner },
    alias: aliases(undefined),
    absWorkingDir: PROJECT_ROOT,
    outfile: join(outdir, 'index.mjs'),
  };
}
