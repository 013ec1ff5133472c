/**
 * The filters that apply to raw tags before any strategy: `allowTags`, `ignoreTags` and `platforms`
 * (and `scanGate`, in scan-gate.ts).
 * Each is built once, validated up front, and answers why it drops a candidate (or undefined).
 */
import { InvalidInputError, quoteInput } from '../errors.ts';
import { ProblemCollector } from '../problem-collector.ts';
import { compileGlob, GlobSyntaxError } from './glob.ts';
import { compileRe2 } from './regexp/compile-re2.ts';
import { Re2SyntaxError } from './regexp/re2-syntax-error.ts';
import type { TagCandidate } from './tag-candidate.ts';

/** A filter answers the reason it drops a candidate, or undefined to keep it. */
export interface TagFilter {
  readonly kind: 'allowTags' | 'ignoreTags' | 'platforms' | 'scanGate';
  /** How the filter reads in messages, e.g. `allow-tags regexp:^1\.`. */
  readonly description: string;
  /** For `platforms`: the platforms wanted, in the order given. */
  readonly platforms?: readonly string[];
  /** For `scanGate`: the most findings allowed per severity (scan-gate.ts). */
  readonly scanLimits?: Readonly<Partial<Record<string, number>>>;
  reject(candidate: TagCandidate): string | undefined;
}

/**
 * `allowTags`: `any`, or `regexp:<expression>` in Go's RE2 syntax, matched anywhere in the tag
 * (`regexp:v1` keeps `xv1y`). Absent or empty keeps every tag.
 */
export function parseAllowTags(value: string | undefined, field = 'allowTags'): TagFilter | undefined {
  if (value === undefined || value.trim() === '' || value.trim().toLowerCase() === 'any') return undefined;
  const colon = value.indexOf(':');
  if (colon === -1 || value.slice(0, colon).toLowerCase() !== 'regexp') {
    throw new InvalidInputError(
      field,
      `${quoteInput(value)} is neither 'any' nor 'regexp:<expression>'`,
      'write e.g. regexp:^1\\.0\\.[0-9]+$',
    );
  }
  const expression = value.slice(colon + 1);
  try {
    const matcher = compileRe2(expression);
    return {
      kind: 'allowTags',
      description: `allow-tags regexp:${expression}`,
      reject: (candidate) =>
        matcher.test(candidate.tag) ? undefined : `does not match allow-tags regexp:${expression}`,
    };
  } catch (error) {
    if (!(error instanceof Re2SyntaxError)) throw error;
    throw new InvalidInputError(
      field,
      `regexp ${quoteInput(expression)} does not compile: ${error.code}: ${quoteInput(error.expr)}`,
      'fix the expression (RE2 syntax)',
      {
        cause: error,
      },
    );
  }
}

/**
 * `ignoreTags`: shell globs on the whole tag, as a list or one comma-separated string; `*` pauses the
 * image. Absent or empty ignores nothing.
 */
export function parseIgnoreTags(
  value: string | readonly string[] | undefined,
  field = 'ignoreTags',
): TagFilter | undefined {
  const patterns = splitList(value);
  if (patterns.length === 0) return undefined;
  const problems = new ProblemCollector();
  const compiled = patterns.map((pattern, index) =>
    problems.check(() => {
      try {
        return compileGlob(pattern);
      } catch (error) {
        if (!(error instanceof GlobSyntaxError)) throw error;
        throw new InvalidInputError(
          `${field}[${index}]`,
          error.message,
          'escape [ ] - with \\ or close the class',
          { cause: error },
        );
      }
    }),
  );
  problems.throwIfAny();
  const globs = compiled.filter((glob) => glob !== undefined);
  return {
    kind: 'ignoreTags',
    description: `ignore-tags ${patterns.join(',')}`,
    reject: (candidate) => {
      const glob = globs.find((g) => g.matches(candidate.tag));
      return glob ? `ignored by ignore-tags '${glob.pattern}'` : undefined;
    },
  };
}

/** True when the patterns ignore every tag, which is how an image is paused. */
export function pausesEveryTag(value: string | readonly string[] | undefined): boolean {
  return splitList(value).includes('*');
}

const PLATFORM = /^[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9._-]*(?:\/[a-z0-9][a-z0-9._-]*)?$/;

/**
 * `platforms`: keep tags whose image offers one of the given `os/arch[/variant]`. A platform named
 * without a variant accepts any variant (`linux/arm64` accepts `linux/arm64/v8`). Absent or empty: no filter.
 */
export function parsePlatforms(
  value: string | readonly string[] | undefined,
  field = 'platforms',
): TagFilter | undefined {
  const wanted = splitList(value);
  if (wanted.length === 0) return undefined;
  const problems = new ProblemCollector();
  wanted.forEach((platform, index) => {
    if (!PLATFORM.test(platform)) {
      problems.add(
        new InvalidInputError(
          `${field}[${index}]`,
          `${quoteInput(platform)} is not a platform`,
          'write os/arch or os/arch/variant, e.g. linux/amd64 or linux/arm/v7',
        ),
      );
    }
  });
  problems.throwIfAny();
  const accepts = (offered: string) => wanted.some((w) => acceptsPlatform(w, offered));
  return {
    kind: 'platforms',
    description: `platforms ${wanted.join(',')}`,
    platforms: wanted,
    reject: (candidate) => {
      if (candidate.platforms === undefined) return `platforms unknown; wanted ${wanted.join(', ')}`;
      if (candidate.platforms.some(accepts)) return undefined;
      const offered = candidate.platforms.length ? candidate.platforms.join(', ') : 'none';
      return `offers ${offered}; wanted ${wanted.join(', ')}`;
    },
  };
}

/** Whether an image of platform `offered` is one of `wanted`: the same, or `wanted` names no variant. */
export function acceptsPlatform(wanted: string, offered: string): boolean {
  return wanted === offered || (wanted.split('/').length === 2 && offered.startsWith(`${wanted}/`));
}

function splitList(value: string | readonly string[] | undefined): string[] {
  const items = value === undefined ? [] : typeof value === 'string' ? value.split(',') : [...value];
  return items.map((item) => item.trim()).filter((item) => item !== '');
}
