import { InvalidInputError } from './errors.ts';

/** How a tag is chosen among those the filters keep. */
export type StrategyName = 'semver' | 'newest-build' | 'alphabetical' | 'digest';

const STRATEGIES: Readonly<Record<string, StrategyName>> = {
  semver: 'semver',
  'newest-build': 'newest-build',
  latest: 'newest-build',
  alphabetical: 'alphabetical',
  name: 'alphabetical',
  digest: 'digest',
};

/** Reads a strategy name, accepting Argo CD Image Updater's old names `latest` and `name`. */
export function parseStrategyName(value: string | undefined, field = 'strategy'): StrategyName {
  if (value === undefined || value.trim() === '') return 'semver';
  const name = STRATEGIES[value.trim().toLowerCase()];
  if (!name) {
    throw new InvalidInputError(
      field,
      `unknown strategy '${value}'`,
      'use semver, newest-build, alphabetical or digest (old names: latest, name)',
    );
  }
  return name;
}
