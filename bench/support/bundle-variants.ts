/**
 * The Lambda bundle as it ships and the variants the bundle bench sets beside it. Every variant starts
 * from the construct's own settings (infra/function-bundling.ts) and changes one thing: substitutes
 * dropped from the alias list, so that the real package is bundled instead.
 */
import { build, type Metafile } from 'esbuild';
import { functionBuildOptions } from '../../infra/function-bundling.ts';

export interface BundleVariant {
  readonly key: string;
  readonly label: string;
  /** The shipped bundle built again: what it differs by from the first build is noise. */
  readonly control?: true;
  /** Substitutes (import paths) the variant leaves out: the real package is bundled instead. */
  readonly withoutSubstitutes?: readonly string[];
}

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
];

/** Builds a variant into `outdir/index.mjs` (with its source map) and returns esbuild's metafile. */
export async function buildVariant(variant: BundleVariant, outdir: string): Promise<Metafile> {
  const options = functionBuildOptions(outdir);
  const alias = Object.fromEntries(
    Object.entries(options.alias).filter(([name]) => !variant.withoutSubstitutes?.includes(name)),
  );
  const { metafile } = await build({ ...options, alias, metafile: true, logLevel: 'warning' });
  return metafile;
}
