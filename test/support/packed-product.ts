/**
 * The product as a user gets it: `npm pack` of this repository, installed into a clean folder. The
 * tests reach no registry: the tarball is unpacked as npm would place it, and each dependency it
 * declares (and nothing else) is linked from this repository's node_modules, so a module the package
 * needs but does not declare is missing there, as it would be for a user.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What a user's `npm install` of the product must never bring: the local peers and their packages, and
 * no TypeScript loader. isomorphic-git is not among them: the CLI's reconcile and redrive write to plain
 * git hosts with it (loaded only when a plain git connection is used; ADR 0005).
 */
export const NOT_AT_RUN_TIME: readonly string[] = [
  'dynalite',
  'ajv',
  'ajv-formats',
  'fflate',
  'graphql',
  '@octokit/graphql-schema',
  'tsx',
  '@aws-cdk/lambda-layer-kubectl-v33',
  '@ecr-image-updater/local',
];

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NODE_MODULES = join(ROOT, 'node_modules');

export interface PackedProduct {
  readonly tarball: string;
  readonly bytes: number;
  readonly files: readonly string[];
  readonly manifest: {
    readonly dependencies?: Record<string, string>;
    readonly peerDependencies?: Record<string, string>;
    readonly bin?: Record<string, string>;
  };
}

/** Packs the product (already built by `npm test`'s pretest) into `dir`. */
export function packProduct(dir: string): PackedProduct {
  if (!existsSync(join(ROOT, 'dist', 'function', 'index.mjs')))
    throw new Error('no dist/ to pack: run npm run build (npm test does it first)');
  const [result] = JSON.parse(
    execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  ) as Array<{ filename: string; size: number; files: Array<{ path: string }> }>;
  if (!result) throw new Error('npm pack answered nothing');
  const tarball = join(dir, result.filename);
  const manifest = JSON.parse(
    execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }),
  ) as PackedProduct['manifest'];
  return { tarball, bytes: result.size, files: result.files.map((f) => f.path), manifest };
}

/**
 * Installs the packed product into `folder/node_modules` with its runtime dependencies only (what
 * `npm install --omit=dev` gives), its bin linked, plus `extra` packages a consumer brings (name, or
 * [name, the folder in this repository's node_modules]).
 */
export function installPacked(
  folder: string,
  packed: PackedProduct,
  extra: ReadonlyArray<string | readonly [string, string]> = [],
): void {
  const modules = join(folder, 'node_modules');
  const own = join(modules, 'ecr-image-updater');
  mkdirSync(own, { recursive: true });
  execFileSync('tar', ['-xzf', packed.tarball, '-C', own, '--strip-components=1']);
  const links: Array<readonly [string, string]> = [
    ...Object.keys(packed.manifest.dependencies ?? {}).map((name) => [name, name] as const),
    ...extra.map((entry) => (typeof entry === 'string' ? ([entry, entry] as const) : entry)),
  ];
  for (const [name, source] of links) {
    mkdirSync(dirname(join(modules, name)), { recursive: true });
    symlinkSync(join(NODE_MODULES, source), join(modules, name), 'dir');
  }
  mkdirSync(join(modules, '.bin'), { recursive: true });
  for (const [name, file] of Object.entries(packed.manifest.bin ?? {}))
    symlinkSync(join('..', 'ecr-image-updater', file), join(modules, '.bin', name));
}

/** Reads a JSON file. */
export function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}
