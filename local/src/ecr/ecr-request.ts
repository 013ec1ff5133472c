/**
 * Reading ECR requests as ECR does: field checks with its InvalidParameterException messages, the
 * repository and image ids a request names, and the pagination tokens it issues.
 */
import { AwsJsonError } from '../aws-json-server.ts';
import type { EcrRegistryState, EcrRepository, ImageId } from './ecr-registry-state.ts';
import { sha256Digest } from './sha256-digest.ts';

/** The parsed JSON body of one call. */
export type EcrInput = Record<string, unknown>;

/** DescribeImages' and ListImages' `filter.tagStatus`. */
export type TagStatus = 'TAGGED' | 'UNTAGGED' | 'ANY';

/** An image's status (ImageDetail.imageStatus): archived images are in ECR's archive storage class. */
export type ImageStatus = 'ACTIVE' | 'ARCHIVED' | 'ACTIVATING';

/**
 * How the listing operations page, when not as the fake does by default (full pages in push order).
 * ECR promises neither: `maxResults` is an upper bound ("up to"), and the API reference states no order
 * (DescribeImages, ListImages: Request Parameters). `pageSize` caps every page below what maxResults
 * asks; `seed` orders the items by a hash of it and each item's key, an order of no meaning that stays
 * the same from one page to the next, so the tokens still neither repeat nor skip an item.
 */
export interface ListingMode {
  readonly pageSize: number;
  readonly seed: string;
}

/** The repository a request names by `registryId` (default the fake's account) and `repositoryName`. */
export function repositoryOf(state: EcrRegistryState, input: EcrInput): EcrRepository {
  return state.find(registryIdOf(state, input), requiredString(input, 'repositoryName'));
}

/** The request's `registryId`, or the fake's account when it names none. */
export function registryIdOf(state: EcrRegistryState, input: EcrInput): string {
  const registryId = optionalString(input, 'registryId') ?? state.accountId;
  if (!/^\d{12}$/.test(registryId)) {
    throw invalidParameter('registryId', 'Member must satisfy regular expression pattern: [0-9]{12}');
  }
  return registryId;
}

/**
 * One page of `items` (sorted by `keyOf`) after the `nextToken` position. The token names the last key
 * served rather than an offset, so images pushed or deleted between pages neither repeat nor vanish.
 */
export function paginate<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  input: EcrInput,
  mode?: ListingMode,
): { page: T[]; nextToken?: string } {
  const maxResults = input.maxResults ?? 100;
  if (
    typeof maxResults !== 'number' ||
    !Number.isInteger(maxResults) ||
    maxResults < 1 ||
    maxResults > 1000
  ) {
    throw invalidParameter('maxResults', 'Member must have value between 1 and 1000');
  }
  const token = optionalString(input, 'nextToken');
  const after = token === undefined ? undefined : keyOfToken(token);
  const sortKey = mode ? (item: T) => sha256Digest(`${mode.seed} ${keyOf(item)}`) : keyOf;
  const ordered = mode ? [...items].sort((a, b) => compare(sortKey(a), sortKey(b))) : items;
  const rest = after === undefined ? ordered : ordered.filter((item) => sortKey(item) > after);
  const size = mode ? Math.min(maxResults, mode.pageSize) : maxResults;
  const page = rest.slice(0, size);
  const last = page.at(-1);
  if (rest.length <= size || last === undefined) return { page };
  return { page, nextToken: Buffer.from(JSON.stringify({ after: sortKey(last) })).toString('base64url') };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function keyOfToken(token: string): string {
  try {
    const { after } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof after === 'string') return after;
  } catch {
    // fall through to the error ECR gives for a token it did not issue
  }
  throw invalidParameter('nextToken', 'Invalid pagination token');
}

/** `filter.tagStatus`, ANY when absent. */
export function tagStatusOf(input: EcrInput): TagStatus {
  const status = isObject(input.filter) ? input.filter.tagStatus : undefined;
  if (status === undefined) return 'ANY';
  if (status === 'TAGGED' || status === 'UNTAGGED' || status === 'ANY') return status;
  throw invalidParameter('filter.tagStatus', 'Member must satisfy enum value set: [TAGGED, UNTAGGED, ANY]');
}

/**
 * DescribeImages' `filter.imageStatus`: ACTIVE when absent, so archived images are not listed unless
 * asked for (API reference, DescribeImagesFilter; the SDK's ImageStatusFilter enum, which adds ANY).
 */
export function imageStatusOf(input: EcrInput): ImageStatus | 'ANY' {
  const status = isObject(input.filter) ? input.filter.imageStatus : undefined;
  if (status === undefined) return 'ACTIVE';
  if (status === 'ACTIVE' || status === 'ARCHIVED' || status === 'ACTIVATING' || status === 'ANY')
    return status;
  throw invalidParameter(
    'filter.imageStatus',
    'Member must satisfy enum value set: [ACTIVE, ARCHIVED, ACTIVATING, ANY]',
  );
}

/** `imageIds`: 1 to 100 ids, each with its digest and tag when given (resolved later). */
export function imageIdsOf(input: EcrInput): ImageId[] {
  const ids = input.imageIds;
  if (!Array.isArray(ids) || ids.length < 1 || ids.length > 100) {
    throw invalidParameter('imageIds', 'Member must have length between 1 and 100');
  }
  return ids.map((id) => {
    if (!isObject(id)) throw invalidParameter('imageIds', 'Member must be an ImageIdentifier');
    const imageDigest = optionalString(id, 'imageDigest');
    const imageTag = optionalString(id, 'imageTag');
    return {
      ...(imageDigest === undefined ? {} : { imageDigest }),
      ...(imageTag === undefined ? {} : { imageTag }),
    };
  });
}

/** A string field that must be present and non-empty. */
export function requiredString(input: EcrInput, field: string): string {
  const value = optionalString(input, field);
  if (value === undefined || value === '') throw invalidParameter(field, 'Member must not be null');
  return value;
}

/** A string field, undefined when absent or null. */
export function optionalString(input: EcrInput, field: string): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidParameter(field, 'Member must be a string');
  return value;
}

/** A list-of-strings field, undefined when absent or null. */
export function optionalStrings(input: EcrInput, field: string): string[] | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw invalidParameter(field, 'Member must be a list of strings');
  }
  return value;
}

/** A non-negative integer field that must be present. */
export function requiredInteger(input: EcrInput, field: string): number {
  const value = input[field];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw invalidParameter(field, 'Member must be a non-negative integer');
  }
  return value;
}

/** ECR's answer to a field that breaks a constraint, worded as ECR words it. */
export function invalidParameter(field: string, constraint: string): AwsJsonError {
  return new AwsJsonError(
    'InvalidParameterException',
    `Invalid parameter at '${field}' failed to satisfy constraint: '${constraint}'`,
  );
}

/** A JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
