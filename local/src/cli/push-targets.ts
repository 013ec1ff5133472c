/**
 * What `local push` is asked to push, read from its arguments and flags: named images
 * (`repo-1:1.0.1 repo-2:1.0.1`) or generated ones (`--generate 50 --repository-prefix burst/ --tag
 * 1.0.1`), the platforms, a digest to retag, and how many invocations run at once. Every refusal names
 * the argument or flag and the fix, so the CLI exits 2 with one line.
 */
import { InvalidInputError, quoteInput } from 'ecr-image-updater/lib/domain/errors';
import { parseScanGate } from 'ecr-image-updater/lib/domain/tags/scan-gate';
import { parsePlatforms } from 'ecr-image-updater/lib/domain/tags/tag-filters';

/** The flags of `local push`, as parseArgs reads them. */
export interface PushFlags {
  readonly platforms?: string | undefined;
  readonly digest?: string | undefined;
  readonly generate?: string | undefined;
  readonly 'repository-prefix'?: string | undefined;
  readonly tag?: string | undefined;
  readonly concurrency?: string | undefined;
  readonly scan?: boolean | undefined;
  readonly 'scan-findings'?: string | undefined;
}

export interface PushTargets {
  readonly images: ReadonlyArray<{ readonly repository: string; readonly tag: string }>;
  /** More than one image asked for, or generated ones: the output is a list with totals. */
  readonly several: boolean;
  readonly platforms?: readonly string[];
  readonly digest?: string;
  /** Invocations at once (at most: fewer when there are fewer events). */
  readonly concurrency: number;
  /** Scan each image after its push, finding these counts by severity (none: a clean scan). */
  readonly scan?: { readonly findings: Readonly<Record<string, number>> };
}

/** At most this many images a run, named or generated: five times the burst bench's 200 pushes. */
const MAX_IMAGES = 1_000;

/**
 * Invocations at once, unless --concurrency says fewer: Lambda's default concurrency quota for an
 * account and Region, 1,000 execution environments ("Lambda function scaling",
 * docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html), which is also the largest
 * reservedConcurrency the construct takes. Up to it, a burst runs all at once in AWS, so here too.
 */
const MAX_CONCURRENCY = 1_000;

// ECR's repository names (the CreateRepository API reference: 2 to 256 characters, this pattern) and
// Docker's tags (the OCI distribution spec: 128 characters at most).
const REPOSITORY = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const isRepository = (name: string) => name.length >= 2 && name.length <= 256 && REPOSITORY.test(name);
const GENERATE = '--generate 50 --repository-prefix burst/ --tag 1.0.1';
const DEFAULT_PREFIX = 'repo-';

/** Reads the images of `local push <image>...` (the positionals after the action) and its flags. */
export function readPushTargets(named: readonly string[], flags: PushFlags): PushTargets {
  const platforms = flags.platforms === undefined ? undefined : readPlatforms(flags.platforms);
  if (flags.digest !== undefined && !/^sha256:[0-9a-f]{64}$/.test(flags.digest))
    throw new InvalidInputError('--digest', `${quoteInput(flags.digest)} is not a sha256 digest`);
  const concurrency =
    flags.concurrency === undefined
      ? undefined
      : wholeNumber('--concurrency', flags.concurrency, MAX_CONCURRENCY, 'e.g. --concurrency 10');
  const images = flags.generate === undefined ? namedImages(named, flags) : generatedImages(named, flags);
  const several = images.length > 1 || flags.generate !== undefined;
  if (flags.digest !== undefined && several)
    throw new InvalidInputError(
      '--digest',
      'tags one image ECR already holds',
      'name one <repository>:<tag> with it',
    );
  // The counts read as a gate's limits would be: severity names and whole numbers, checked alike.
  const findings =
    flags['scan-findings'] === undefined
      ? undefined
      : parseScanGate(flags['scan-findings'], '--scan-findings');
  if ((flags.scan || findings) && flags.digest !== undefined)
    throw new InvalidInputError('--scan', 'scans a pushed image, not a retag', 'leave out --digest');
  return {
    images,
    several,
    ...(flags.scan || findings
      ? { scan: { findings: { ...findings?.scanLimits } as Record<string, number> } }
      : {}),
    ...(platforms ? { platforms } : {}),
    ...(flags.digest === undefined ? {} : { digest: flags.digest }),
    concurrency: concurrency ?? MAX_CONCURRENCY,
  };
}

function namedImages(named: readonly string[], flags: PushFlags) {
  for (const flag of ['tag', 'repository-prefix'] as const)
    if (flags[flag] !== undefined)
      throw new InvalidInputError(
        `--${flag}`,
        'goes with --generate',
        `a named image carries its own (flask-app:1.0.2); generated images take it: ${GENERATE}`,
      );
  if (named.length === 0)
    throw new InvalidInputError(
      'usage',
      'no image to push',
      `name one or more <repository>:<tag> (flask-app:1.0.2), or generate them (${GENERATE})`,
    );
  if (named.length > MAX_IMAGES)
    throw new InvalidInputError('usage', `${named.length} images`, `push at most ${MAX_IMAGES} at once`);
  const seen = new Set<string>();
  return named.map((target) => {
    const colon = target.lastIndexOf(':');
    const repository = target.slice(0, colon);
    const tag = target.slice(colon + 1);
    if (colon === -1 || !isRepository(repository) || !TAG.test(tag))
      throw new InvalidInputError(
        'usage',
        `${quoteInput(target)} is not <repository>:<tag>`,
        'e.g. ecr-image-updater local push flask-app:1.0.2',
      );
    if (seen.has(target))
      throw new InvalidInputError('usage', `${quoteInput(target)} is given twice`, 'name each image once');
    seen.add(target);
    return { repository, tag };
  });
}

function generatedImages(named: readonly string[], flags: PushFlags) {
  if (named.length > 0)
    throw new InvalidInputError(
      '--generate',
      `makes up the images, and ${quoteInput(named[0]!)} names one`,
      'give named images or --generate, not both',
    );
  const count = wholeNumber('--generate', flags.generate!, MAX_IMAGES, `e.g. ${GENERATE}`);
  const { tag } = flags;
  if (tag === undefined)
    throw new InvalidInputError('--tag', 'missing: --generate needs the tag to push', `e.g. ${GENERATE}`);
  if (!TAG.test(tag))
    throw new InvalidInputError(
      '--tag',
      `${quoteInput(tag)} is not an image tag`,
      'use up to 128 letters, digits, _ . and -, not starting with . or -, e.g. 1.0.1',
    );
  const prefix = flags['repository-prefix'] ?? DEFAULT_PREFIX;
  if (!isRepository(`${prefix}1`) || !isRepository(`${prefix}${count}`))
    throw new InvalidInputError(
      '--repository-prefix',
      `${quoteInput(prefix)} followed by a number is not an ECR repository name`,
      'use lowercase letters and digits, separated by one of . _ - / (256 characters in all), e.g. burst/ or burst-',
    );
  return Array.from({ length: count }, (_, index) => ({ repository: `${prefix}${index + 1}`, tag }));
}

function wholeNumber(flag: string, text: string, max: number, example: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > max)
    throw new InvalidInputError(flag, `${quoteInput(text)} is not a whole number from 1 to ${max}`, example);
  return value;
}

// --platforms as `local push` takes it: os/arch[/variant], comma-separated, each once.
function readPlatforms(text: string): string[] {
  const list = text
    .split(',')
    .map((platform) => platform.trim())
    .filter(Boolean);
  if (list.length === 0)
    throw new InvalidInputError(
      '--platforms',
      'names no platform',
      'e.g. --platforms linux/amd64,linux/arm64',
    );
  parsePlatforms(list, '--platforms');
  const twice = list.findIndex((platform, index) => list.indexOf(platform) !== index);
  if (twice !== -1)
    throw new InvalidInputError(
      `--platforms[${twice}]`,
      `${quoteInput(list[twice]!)} is given twice`,
      'name each platform once',
    );
  return list;
}
