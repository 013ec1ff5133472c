/**
 * Reads tag candidates from JSON: our own array form
 * `[{"tag", "digest"?, "pushedAt"?, "createdAt"?, "platforms"?, "artifactMediaType"?, "subjectDigest"?}]`,
 * or the output of
 * `aws ecr describe-images` (`{"imageDetails": [...]}`), so its output can be piped in as it is.
 */
import { InvalidInputError, quoteInput } from '../errors.ts';
import type { ImageScan, TagCandidate } from './tag-candidate.ts';

const FIELDS = new Set([
  'tag',
  'digest',
  'pushedAt',
  'createdAt',
  'platforms',
  'artifactMediaType',
  'subjectDigest',
  'scan',
]);
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const FIX =
  'give a JSON array of {"tag", "digest"?, "pushedAt"?, "platforms"?} or the output of aws ecr describe-images';

/** Validates and converts parsed JSON into candidates; throws {@link InvalidInputError} naming the bad field. */
export function parseCandidates(json: unknown, field = 'candidates'): TagCandidate[] {
  const candidates =
    isRecord(json) && Array.isArray(json.imageDetails)
      ? fromDescribeImages(json.imageDetails, field)
      : fromArray(json, field);
  const seen = new Set<string>();
  candidates.forEach((candidate, index) => {
    if (seen.has(candidate.tag)) {
      throw new InvalidInputError(
        `${field}[${index}].tag`,
        `${quoteInput(candidate.tag)} appears more than once`,
        'list each tag once',
      );
    }
    seen.add(candidate.tag);
  });
  return candidates;
}

function fromArray(json: unknown, field: string): TagCandidate[] {
  if (!Array.isArray(json)) throw new InvalidInputError(field, 'expected a JSON array', FIX);
  return json.map((item, index) => readCandidate(item, `${field}[${index}]`));
}

function readCandidate(item: unknown, at: string): TagCandidate {
  if (!isRecord(item)) throw new InvalidInputError(at, 'expected an object', FIX);
  for (const key of Object.keys(item)) {
    if (!FIELDS.has(key))
      throw new InvalidInputError(at, `unknown field ${quoteInput(key)}`, `use ${[...FIELDS].join(', ')}`);
  }
  const { tag, digest, pushedAt, createdAt, platforms, artifactMediaType, subjectDigest, scan } = item;
  if (typeof tag !== 'string' || tag === '')
    throw new InvalidInputError(`${at}.tag`, 'expected a non-empty string', FIX);
  return {
    tag,
    ...(digest === undefined ? {} : { digest: readDigest(digest, `${at}.digest`) }),
    ...(pushedAt === undefined ? {} : { pushedAt: readTime(pushedAt, `${at}.pushedAt`) }),
    ...(createdAt === undefined ? {} : { createdAt: readTime(createdAt, `${at}.createdAt`) }),
    ...(platforms === undefined ? {} : { platforms: readPlatforms(platforms, `${at}.platforms`) }),
    ...readArtifactFields(artifactMediaType, subjectDigest, at, 'subjectDigest'),
    ...(scan === undefined
      ? {}
      : {
          scan: readScan(
            isRecord(scan) ? scan.status : scan,
            isRecord(scan) ? scan.findings : undefined,
            `${at}.scan`,
          ),
        }),
  };
}

// An image's scan: its status word and its counts by severity, as DescribeImages reports them.
function readScan(status: unknown, findings: unknown, at: string): ImageScan {
  if (typeof status !== 'string' || !/^[A-Z_]{1,40}$/.test(status))
    throw new InvalidInputError(
      `${at}.status`,
      `expected a scan status such as COMPLETE, got ${JSON.stringify(status)}`,
    );
  if (findings === undefined) return { status };
  if (!isRecord(findings) || !Object.values(findings).every((n) => Number.isInteger(n) && (n as number) >= 0))
    throw new InvalidInputError(`${at}.findings`, 'expected counts by severity', 'write e.g. {"HIGH": 1}');
  return { status, findings: findings as Record<string, number> };
}

// What tells an artifact from an image (artifact-reason.ts); the subject is named as the input names it.
function readArtifactFields(
  artifactMediaType: unknown,
  subjectDigest: unknown,
  at: string,
  subjectField: string,
): Pick<TagCandidate, 'artifactMediaType' | 'subjectDigest'> {
  if (
    artifactMediaType !== undefined &&
    (typeof artifactMediaType !== 'string' || artifactMediaType === '')
  ) {
    throw new InvalidInputError(
      `${at}.artifactMediaType`,
      `expected a media type, got ${JSON.stringify(artifactMediaType)}`,
      'write e.g. application/vnd.oci.image.config.v1+json, or leave it out',
    );
  }
  return {
    ...(artifactMediaType === undefined ? {} : { artifactMediaType }),
    ...(subjectDigest === undefined
      ? {}
      : { subjectDigest: readDigest(subjectDigest, `${at}.${subjectField}`) }),
  };
}

function fromDescribeImages(details: unknown[], field: string): TagCandidate[] {
  return details.flatMap((detail, index) => {
    const at = `${field}.imageDetails[${index}]`;
    if (!isRecord(detail)) throw new InvalidInputError(at, 'expected an object', FIX);
    const tags = detail.imageTags ?? [];
    if (!Array.isArray(tags) || !tags.every((tag) => typeof tag === 'string')) {
      throw new InvalidInputError(`${at}.imageTags`, 'expected an array of strings', FIX);
    }
    const digest =
      detail.imageDigest === undefined ? undefined : readDigest(detail.imageDigest, `${at}.imageDigest`);
    const pushedAt =
      detail.imagePushedAt === undefined ? undefined : readTime(detail.imagePushedAt, `${at}.imagePushedAt`);
    const artifact = readArtifactFields(
      detail.artifactMediaType,
      detail.subjectManifestDigest,
      at,
      'subjectManifestDigest',
    );
    // imageScanStatus and imageScanFindingsSummary (ECR API reference, ImageDetail).
    const status = isRecord(detail.imageScanStatus) ? detail.imageScanStatus.status : undefined;
    const summary = detail.imageScanFindingsSummary;
    const scan =
      status === undefined
        ? undefined
        : readScan(
            status,
            isRecord(summary) ? summary.findingSeverityCounts : undefined,
            `${at}.imageScanStatus`,
          );
    return tags.map((tag: string) => ({
      tag,
      ...(digest === undefined ? {} : { digest }),
      ...(pushedAt === undefined ? {} : { pushedAt }),
      ...artifact,
      ...(scan === undefined ? {} : { scan }),
    }));
  });
}

function readDigest(value: unknown, at: string): string {
  if (typeof value !== 'string' || !DIGEST.test(value)) {
    throw new InvalidInputError(
      at,
      `expected a digest such as sha256:<64 hex digits>, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

// ISO-8601 text, or epoch seconds as AWS CLI v1 and the AWS JSON protocol print them.
function readTime(value: unknown, at: string): number {
  const time =
    typeof value === 'number'
      ? value * 1000
      : typeof value === 'string' && /^\d{4}-\d\d-\d\d/.test(value)
        ? Date.parse(value)
        : Number.NaN;
  if (!Number.isFinite(time))
    throw new InvalidInputError(
      at,
      `expected an ISO-8601 time, got ${JSON.stringify(value)}`,
      'write e.g. 2026-11-16T01:54:34Z',
    );
  return time;
}

function readPlatforms(value: unknown, at: string): string[] {
  if (!Array.isArray(value) || !value.every((p) => typeof p === 'string')) {
    throw new InvalidInputError(
      at,
      'expected an array of os/arch[/variant] strings',
      'write e.g. ["linux/amd64", "linux/arm64/v8"]',
    );
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
