/**
 * The Lambda bundle as it ships and the variants the bundle bench sets beside it. Every variant starts
 * from the construct's own settings (infra/function-bundling.ts) and changes one thing: substitutes
 * dropped from the alias list, so that the real package is bundled instead.
 */

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';
import {
  FUNCTION_PACKAGE_JSON,
  functionBuildOptions,
  separateModuleBuildOptions,
} from '../../infra/function-bundling.ts';

export interface BundleVariant {
  readonly key: string;
  readonly label: string;
  /** The shipped bundle built again: what it differs by from the first build is noise. */
  readonly control?: true;
  /** Substitutes (import paths) the variant leaves out: the real package is bundled instead. */
  readonly withoutSubstitutes?: readonly string[];
  /** Our imports of @octokit/rest take @octokit/core alone instead (ADR 0003's question, asked of cold start). */
  readonly octokitCore?: true;
  /** The plain git connector points at nothing: the bundle without plain git hosts at all (ADR 0005). */
  readonly withoutPlainGit?: true;
  /** The bundle's entry instead of the function's: the plain git path, its connector loaded at import (ADR 0005). */
  readonly plainGitLoaded?: true;
}

const OCTOKIT_CORE = fileURLToPath(new URL('./octokit-core.ts', import.meta.url));
const NO_PLAIN_GIT = fileURLToPath(new URL('./no-plain-git.ts', import.meta.url));
const PLAIN_GIT_ENTRY = fileURLToPath(new URL('./plain-git-entry.ts', import.meta.url));

export const BUNDLE_VARIANTS: readonly BundleVariant[] = [
  { key: 'a', label: '(a) the shipped bundle' },
  // The same bundle a second time: how far two runs of identical bytes differ is the noise floor.
  { key: "a'", label: "(a') the shipped bundle again (A/A)", control: true },
  // What the substitutes that stay still buy on a cold start.
  {
    key: 'b',
    label: '(b) without credential-provider stand-in',
    withoutSubstitutes: ['@aws-sdk/credential-provider-node'],
  },
  {
    key: 'c',
    label: '(c) without event-streams stand-in',
    withoutSubstitutes: ['@smithy/core/event-streams'],
  },
  // What @octokit/rest's endpoint methods, pagination and request log cost beside its core (ADR 0003).
  { key: 'd', label: '(d) with @octokit/core for @octokit/rest', octokitCore: true },
  // What the plain git code left in index.mjs (isomorphic-git is a file apart) costs the GitHub path (ADR 0005).
  { key: 'e', label: '(e) without the plain git connector', withoutPlainGit: true },
  // The plain git path's cold start: the same bundle, its plain git connector loaded as a first write does.
  { key: 'p', label: '(p) plain git path: connector loaded', plainGitLoaded: true },
];

/** Builds a variant into `outdir/index.mjs` (with its source map) and returns esbuild's metafile. */
export async function buildVariant(variant: BundleVariant, outdir: string): Promise<Metafile> {
  const options = functionBuildOptions(outdir);
  const alias = Object.fromEntries(
    Object.entries(options.alias).filter(([name]) => !variant.withoutSubstitutes?.includes(name)),
  );
  const plugins: Plugin[] = [];
  if (variant.octokitCore)
    plugins.push({
      name: 'octokit-core',
      setup(on) {
        on.onResolve({ filter: /^@octokit\/rest$/ }, (args) =>
          args.importer.includes('node_modules') ? undefined : { path: OCTOKIT_CORE },
        );
      },
    });
  if (variant.withoutPlainGit)
    plugins.push({
      name: 'no-plain-git',
      setup(on) {
        on.onResolve({ filter: /isomorphic-git-connector\.ts$/ }, () => ({ path: NO_PLAIN_GIT }));
      },
    });
  const entryPoints = variant.plainGitLoaded ? [PLAIN_GIT_ENTRY] : options.entryPoints;
  // The separate isomorphic-git file and the package.json that names it, as the function's folder has them.
  await build({ ...separateModuleBuildOptions(outdir), logLevel: 'warning' });
  writeFileSync(join(outdir, 'package.json'), FUNCTION_PACKAGE_JSON);
  const { metafile } = await build({
    ...options,
    entryPoints,
    alias,
    plugins,
    metafile: true,
    logLevel: 'warning',
  });
  return metafile;
}
