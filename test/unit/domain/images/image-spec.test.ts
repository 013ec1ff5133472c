import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../../lib/domain/errors.ts';
import {
  ecrRegistryHost,
  formatImageName,
  parseEcrRegistry,
  parseImageSpec,
} from '../../../../lib/domain/images/image-spec.ts';

const ECR = '123456789012.dkr.ecr.us-west-2.amazonaws.com';

describe('parseImageSpec', () => {
  it.each([
    ['flask-app', { repository: 'flask-app' }],
    ['flask-app:~1.0', { repository: 'flask-app', constraint: '~1.0' }],
    [`${ECR}/flask-app:~1.0`, { registry: ECR, repository: 'flask-app', constraint: '~1.0' }],
    [
      `flask=${ECR}/flask-app:~1.0`,
      { alias: 'flask', registry: ECR, repository: 'flask-app', constraint: '~1.0' },
    ],
    [`${ECR}/platform/api:v2.x`, { registry: ECR, repository: 'platform/api', constraint: 'v2.x' }],
    [
      'localhost:5000/team/app:>=1.0 <2',
      { registry: 'localhost:5000', repository: 'team/app', constraint: '>=1.0 <2' },
    ],
    ['app:>=1.2', { repository: 'app', constraint: '>=1.2' }],
    ['web=app:>=1.2', { alias: 'web', repository: 'app', constraint: '>=1.2' }],
    ['team/web=registry.io/app', { alias: 'team/web', registry: 'registry.io', repository: 'app' }],
    ['library/nginx:latest', { repository: 'library/nginx', constraint: 'latest' }],
    ['  app:1.x  ', { repository: 'app', constraint: '1.x' }],
    ['app:', { repository: 'app' }],
  ])('reads %j', (text, expected) => {
    expect(parseImageSpec(text)).toEqual(expected);
  });

  it.each([
    ['', 'the image is empty'],
    ['Flask-App', 'is not a valid repository name'],
    ['app@sha256:abc', 'pins a digest'],
    ['bad alias!=app', 'is not a valid alias'],
    ['registry.io//app', 'is not a valid repository name'],
    ['app-/x', 'is not a valid repository name'],
    ['under_score_.io:99999999/app', 'is not a valid registry host'],
  ])('rejects %j: %s', (text, problem) => {
    expect(() => parseImageSpec(text, 'images[0].image')).toThrow(InvalidInputError);
    expect(() => parseImageSpec(text, 'images[0].image')).toThrow(problem);
  });

  it('formats registry/repository', () => {
    expect(formatImageName(parseImageSpec(`${ECR}/platform/api:1.x`))).toBe(`${ECR}/platform/api`);
    expect(formatImageName(parseImageSpec('app'))).toBe('app');
  });
});

describe('parseEcrRegistry', () => {
  it.each([
    [ECR, { accountId: '123456789012', region: 'us-west-2' }],
    ['123456789012.dkr.ecr-fips.us-east-1.amazonaws.com', { accountId: '123456789012', region: 'us-east-1' }],
    ['123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn', { accountId: '123456789012', region: 'cn-north-1' }],
    ['123456789012.dkr-ecr.eu-west-1.on.aws', { accountId: '123456789012', region: 'eu-west-1' }],
    ['ghcr.io', undefined],
    ['12345.dkr.ecr.us-west-2.amazonaws.com', undefined],
  ])('reads %j', (host, expected) => {
    expect(parseEcrRegistry(host)).toEqual(expected);
  });

  it('builds the host back from account and region', () => {
    expect(ecrRegistryHost({ accountId: '123456789012', region: 'us-west-2' })).toBe(ECR);
    expect(ecrRegistryHost({ accountId: '123456789012', region: 'cn-north-1' })).toBe(
      '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn',
    );
  });
});
