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
// isomorphic-git's ES module build, beside the CommonJS one that `require` resolves.
const isomorphicGitEsm = join(dirname(createRequire(import.meta.url).resolve('isomorphic-git')), 'index.js');

/**
 * isomorphic-git, which only writes to plain git hosts need, is a file of its own beside index.mjs:
 * index.mjs imports it as `#isomorphic-git` (package.json `imports`) when a plain git connection is
 * first used, so a cold start that writes to GitHub or Argo CD neither parses nor runs it
 * (docs/adr/0005-plain-git-hosts-with-isomorphic-git.md). The function's folder gets a package.json
 * that maps the name to the file.
 */
export const SEPARATE_MODULES = { '#isomorphic-git': 'isomorphic-git.mjs' } as const;

/** The package.json beside index.mjs: ES modules, and where each separate module is. */
export const FUNCTION_PACKAGE_JSON = JSON.stringify({
  type: 'module',
  imports: { '#isomorphic-git': './isomorphic-git.mjs' },
});

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
  external: Object.keys(SEPARATE_MODULES),
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
    // Our pinned SDK, tree-shaken to the commands we send, not the runtime's; isomorphic-git apart.
    externalModules: [...FUNCTION_BUNDLE.external],
    banner: FUNCTION_BUNDLE.banner,
    // Local bundling runs esbuild at the project root; CDK's Docker fallback mounts it here.
    ...(projectRoot === undefined ? {} : { workingDirectory: AssetStaging.BUNDLING_INPUT_DIR }),
    esbuildArgs: {
      '--alias': Object.entries(aliases(projectRoot)).map(([name, target]) => `${name}=${target}`),
    },
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (_inputDir, outputDir) => separateModuleCommands(outputDir, projectRoot),
    },
  };
}

/** The shell commands (CDK's afterBundling) that write the separate modules and the package.json. */
export function separateModuleCommands(outputDir: string, projectRoot: string | undefined): string[] {
  const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;
  const options = separateModuleBuildOptions(outputDir);
  const args = [
    aliasTarget(isomorphicGitEsm, projectRoot),
    '--bundle',
    '--platform=node',
    `--format=${options.format}`,
    `--target=${options.target}`,
    '--minify',
    '--sourcemap',
    '--sources-content=false',
    `--main-fields=${options.mainFields.join(',')}`,
    `--banner:js=${options.banner.js}`,
    `--outfile=${options.outfile}`,
  ];
  return [
    ['npx', '--no-install', 'esbuild', ...args].map(quote).join(' '),
    `echo ${quote(FUNCTION_PACKAGE_JSON)} > ${quote(join(outputDir, 'package.json'))}`,
  ];
}

/** isomorphic-git's file, as esbuild's `BuildOptions` (the same settings as the function's). */
export function separateModuleBuildOptions(outdir: string) {
  return {
    ...sharedBuildOptions(),
    entryPoints: [isomorphicGitEsm],
    outfile: join(outdir, SEPARATE_MODULES['#isomorphic-git']),
  };
}

/** What every file of the function is built with, in esbuild's `BuildOptions` terms. */
function sharedBuildOptions() {
  return {
    bundle: true,
    platform: 'node' as const,
    format: FUNCTION_BUNDLE.format,
    target: FUNCTION_BUNDLE.target,
    minify: FUNCTION_BUNDLE.minify,
    sourcemap: FUNCTION_BUNDLE.sourceMap,
    sourcesContent: FUNCTION_BUNDLE.sourcesContent,
    mainFields: [...FUNCTION_BUNDLE.mainFields],
    banner: { js: FUNCTION_BUNDLE.banner },
    absWorkingDir: PROJECT_ROOT,
  };
}

/**
 * The same build as esbuild's `BuildOptions` (structurally; infra does not depend on esbuild's types),
 * with CDK's fixed settings (bundle, node platform, `index.mjs`, the project root as working directory)
 * spelled out.
 */
export function functionBuildOptions(outdir: string) {
  return {
    ...sharedBuildOptions(),
    entryPoints: [FUNCTION_ENTRY],
    external: [...FUNCTION_BUNDLE.external],
    alias: aliases(undefined),
    outfile: join(outdir, 'index.mjs'),
  };
}
