/**
 * Image specs as Argo CD Image Updater writes them in `image-list`: `[alias=]registry/repo[:constraint]`.
 * The text after `:` in the last path component is the constraint (or, for `digest`, the tag to follow).
 */
import { InvalidInputError, quoteInput } from '../errors.ts';

export interface ImageSpec {
  /** Names the image in Helm/Kustomize keys and messages. */
  readonly alias?: string;
  /** `host[:port]`, e.g. `123456789012.dkr.ecr.us-west-2.amazonaws.com`; absent for a bare repository. */
  readonly registry?: string;
  /** The repository path, which may contain `/` (`platform/api`). */
  readonly repository: string;
  /** The semver constraint, or the tracked tag for `digest`; absent when none is written. */
  readonly constraint?: string;
}

/** An ECR registry host, read into the account and region the registry lives in. */
export interface EcrRegistry {
  readonly accountId: string;
  readonly region: string;
}

const ALIAS = /^[A-Za-z0-9_][A-Za-z0-9_./-]{0,127}$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]{1,5})?$/;
const ECR_HOST =
  /^([0-9]{12})\.dkr(?:\.ecr|-ecr)(?:-fips)?\.([a-z0-9-]+)\.(?:amazonaws\.com(?:\.cn)?|on\.aws)$/;
const FIX =
  'write [alias=]registry/repository[:constraint], e.g. flask=123456789012.dkr.ecr.us-west-2.amazonaws.com/flask-app:~1.0';

/** Parses an image spec; throws {@link InvalidInputError} naming `field` when it cannot be one. */
export function parseImageSpec(text: string, field = 'image'): ImageSpec {
  const invalid = (problem: string) => new InvalidInputError(field, problem, FIX);
  const spec = text.trim();
  if (spec === '') throw invalid('the image is empty');

  let alias: string | undefined;
  let reference = spec;
  const equals = spec.indexOf('=');
  // A '=' after a ':' belongs to the constraint (`repo:>=1.0`), not to an alias.
  if (equals !== -1 && !/[:@]/.test(spec.slice(0, equals))) {
    alias = spec.slice(0, equals);
    reference = spec.slice(equals + 1);
    if (!ALIAS.test(alias))
      throw invalid(`${quoteInput(alias)} is not a valid alias (letters, digits, _ . - /)`);
  }

  const components = reference.split('/');
  const last = components.pop()!;
  if (last.includes('@'))
    throw invalid(
      `${quoteInput(spec)} pins a digest; name the repository and use the digest strategy instead`,
    );
  const colon = last.indexOf(':');
  const name = colon === -1 ? last : last.slice(0, colon);
  const constraint = colon === -1 ? '' : last.slice(colon + 1).trim();
  components.push(name);

  const first = components[0]!;
  const hasRegistry =
    components.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? components.shift()! : undefined;
  if (registry !== undefined && !HOST.test(registry))
    throw invalid(`${quoteInput(registry)} is not a valid registry host`);
  const repository = components.join('/');
  if (repository.length > 256 || !components.every((component) => PATH_COMPONENT.test(component))) {
    throw invalid(
      `${quoteInput(repository)} is not a valid repository name (lowercase letters, digits and . _ - separators, / between parts)`,
    );
  }
  return {
    ...(alias === undefined ? {} : { alias }),
    ...(registry === undefined ? {} : { registry }),
    repository,
    ...(constraint === '' ? {} : { constraint }),
  };
}

/** `registry/repository`, or the bare repository when there is no registry. */
export function formatImageName(spec: Pick<ImageSpec, 'registry' | 'repository'>): string {
  return spec.registry === undefined ? spec.repository : `${spec.registry}/${spec.repository}`;
}

/** Reads an ECR registry host (`<account>.dkr.ecr.<region>.amazonaws.com`, FIPS, China, dual-stack). */
export function parseEcrRegistry(host: string): EcrRegistry | undefined {
  const match = ECR_HOST.exec(host);
  return match ? { accountId: match[1]!, region: match[2]! } : undefined;
}

/** The registry host of an ECR account and region. */
export function ecrRegistryHost(registry: EcrRegistry): string {
  const suffix = registry.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `${registry.accountId}.dkr.ecr.${registry.region}.${suffix}`;
}
