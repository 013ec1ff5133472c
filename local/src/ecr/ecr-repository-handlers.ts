/** The repository operations of the ECR API: CreateRepository and DescribeRepositories. */
import type { AwsJsonHandler } from '../aws-json-server.ts';
import type { EcrRegistryState, EcrRepository } from './ecr-registry-state.ts';
import {
  type EcrInput,
  invalidParameter,
  isObject,
  optionalString,
  optionalStrings,
  paginate,
  registryIdOf,
  requiredString,
} from './ecr-request.ts';

/** The repository operations over `state`, by operation name. */
export function ecrRepositoryHandlers(state: EcrRegistryState): Record<string, AwsJsonHandler> {
  return {
    CreateRepository: (input) => createRepository(state, input),
    DescribeRepositories: (input) => describeRepositories(state, input),
  };
}

function createRepository(state: EcrRegistryState, input: EcrInput): unknown {
  const mutability = optionalString(input, 'imageTagMutability') ?? 'MUTABLE';
  if (mutability !== 'MUTABLE' && mutability !== 'IMMUTABLE') {
    throw invalidParameter('imageTagMutability', 'Member must satisfy enum value set: [MUTABLE, IMMUTABLE]');
  }
  const scanning = input.imageScanningConfiguration;
  const scanOnPush = isObject(scanning) && scanning.scanOnPush === true;
  const name = requiredString(input, 'repositoryName');
  const repo = state.createRepository(registryIdOf(state, input), name, mutability, scanOnPush);
  return { repository: repositoryView(state, repo) };
}

function describeRepositories(state: EcrRegistryState, input: EcrInput): unknown {
  const registryId = registryIdOf(state, input);
  const names = optionalStrings(input, 'repositoryNames');
  if (names) {
    return { repositories: names.map((name) => repositoryView(state, state.find(registryId, name))) };
  }
  const all = state.repositoriesOf(registryId).sort((a, b) => (a.name < b.name ? -1 : 1));
  const { page, ...next } = paginate(all, (repo) => repo.name, input);
  return { repositories: page.map((repo) => repositoryView(state, repo)), ...next };
}

function repositoryView(state: EcrRegistryState, repo: EcrRepository) {
  return {
    repositoryArn: `arn:aws:ecr:${state.region}:${repo.registryId}:repository/${repo.name}`,
    registryId: repo.registryId,
    repositoryName: repo.name,
    repositoryUri: `${repo.registryId}.dkr.ecr.${state.region}.amazonaws.com/${repo.name}`,
    createdAt: repo.createdAt / 1000,
    imageTagMutability: repo.mutability,
    imageScanningConfiguration: { scanOnPush: repo.scanOnPush },
    encryptionConfiguration: { encryptionType: 'AES256' },
  };
}
