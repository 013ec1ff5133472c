/**
 * The Lambda bundle as it ships and the variants the bundle bench sets beside it. Every variant starts
 * from the construct's own settings (infra/function-bundling.ts) and changes one thing: substitutes
 * dropped from the alias list, or one of our modules swapped for another file behind the same exports.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';
import { functionBuildOptions } from '../../infra/function-bundling.ts';

const file = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export interface BundleVariant {
  readonly key: string;
  readonly label: string;
  /** The shipped bundle built again: what it differs by from the first build is noise. */
  readonly control?: true;
  /** Substitutes (import paths) the variant leaves out: the real package is bundled instead. */
  readonly withoutSubstitutes?: readonly string[];
  /** Our modules the variant swaps: absolute source file -> absolute replacement. */
  readonly swaps?: Readonly<Record<string, string>>;
}

const LOGGER_SWAP = {
  [file('../../lib/adapters/json-logger.ts')]: file('./variants/powertools-logger-as-json-logger.ts'),
};
const METRICS_SWAP = {
  [file('../../lib/adapters/emf-metrics.ts')]: file('./variants/powertools-metrics-as-emf-metrics.ts'),
};

export const BUNDLE_VARIANTS: readonly BundleVariant[] = [
  { key: 'a', label: "(a) today's bundle" },
  // The same bundle a second time: how far two runs of identical bytes differ is the noise floor.
  { key: "a'", label: "(a') today's bundle again (A/A)", control: true },
  { key: 'c', label: '(c) Powertools Logger', swaps: LOGGER_SWAP },
  { key: 'd', label: '(d) Powertools Metrics', swaps: METRICS_SWAP },
  { key: 'e', label: '(e) c + d', swaps: { ...LOGGER_SWAP, ...METRICS_SWAP } },
  {
    key: 'f',
    label: '(f) without credential-provider stand-in',
    withoutSubstitutes: ['@aws-sdk/credential-provider-node'],
  },
  {
    key: 'g',
    label: '(g) without event-streams stand-in',
    withoutSubstitutes: ['@smithy/core/event-streams'],
  },
];

/** Resolves our relative imports as esbuild would, then points the swapped ones elsewhere. */
function swapModules(swaps: Readonly<Record<string, string>>): Plugin {
  return {
    name: 'swap-modules',
    setup(builder) {
      builder.onResolve({ filter: /^\.\.?\/.*\.ts$/ }, (args) => {
        const target = swaps[resolve(args.resolveDir, args.path)];
        return target === undefined ? undefined : { path: target };
      });
    },
  };
}

/** Builds a variant into `outdir/index.mjs` (with its source map) and returns esbuild's metafile. */
export async function buildVariant(variant: BundleVariant, outdir: string): Promise<Metafile> {
  const options = functionBuildOptions(outdir);
  const alias = Object.fromEntries(
    Object.entries(options.alias).filter(([name]) => !variant.withoutSubstitutes?.includes(name)),
  );
  const { metafile } = await build({
    ...options,
    alias,
    plugins: variant.swaps ? [swapModules(variant.swaps)] : [],
    metafile: true,
    logLevel: 'warning',
  });
  return metafile;
}
