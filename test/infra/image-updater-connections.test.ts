import { CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { describe, expect, it } from 'vitest';
import { ImageUpdater } from '../../infra/image-updater.ts';
import type { ImageUpdaterConnections } from '../../infra/image-updater-connections.ts';
import { WatchedRepositories } from '../../infra/watched-repositories.ts';
import { readRuntimeConfig } from '../../lib/adapters/runtime-config.ts';
import { synthesize } from '../support/synth.ts';
import { environmentOf, roleStatements, type UpdaterFunctionKind } from '../support/updater-template.ts';

const ENV = { account: '123456789012', region: 'us-west-2' };
const ARGOCD_TOKEN_ARN = 'arn:aws:secretsmanager:us-west-2:123456789012:secret:argocd-token-AbCdEf';
const ARGOCD_CA_ARN = 'arn:aws:secretsmanager:us-west-2:123456789012:secret:argocd-ca-GhIjKl';

/** A platform stack whose updater has the connections `connections` builds. */
function withConnections(connections: (stack: Stack) => ImageUpdaterConnections | undefined) {
  return synthesize((app) => {
    const stack = new Stack(app, 'Platform', { env: ENV });
    const given = connections(stack);
    new ImageUpdater(stack, 'Updater', {
      repositories: WatchedRepositories.named('flask-app'),
      ...(given ? { connections: given } : {}),
    });
    return stack;
  });
}

/** Two GitHub connections (one on a secret this stack creates) and an Argo CD one with a private CA. */
const teams = withConnections((stack) => {
  const shared = secretsmanager.Secret.fromSecretNameV2(stack, 'GitHub', 'ecr-image-updater/github');
  return {
    github: {
      gitops: { secret: shared, repositories: ['acme/gitops'], default: true },
      'team-a': {
        // The cast: with exactOptionalPropertyTypes, CDK's Secret class does not type-check as ISecret.
        secret: new secretsmanager.Secret(stack, 'TeamAApp') as secretsmanager.ISecret,
        apiUrl: 'https://ghe.example.com/api/v3',
        repositories: ['acme/team-a-*'],
        requireConsent: false,
      },
      'team-b': { secret: shared, repositories: ['acme/team-b-*'] },
    },
    argocd: {
      prod: {
        server: 'https://argocd.internal.example.com',
        tokenSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'ArgoCd', ARGOCD_TOKEN_ARN),
        caBundleSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'ArgoCdCa', ARGOCD_CA_ARN),
        projects: ['team-*'],
        appNamespaces: ['argocd', 'team-*'],
      },
    },
  };
});

function functionEnvironment(template: Template): Record<string, unknown> {
  return environmentOf(template, 'push');
}

/** A template value as CloudFormation would resolve it, each `Ref` to what `refs` says. */
function deployed(value: unknown, refs: Readonly<Record<string, string>>): string {
  if (typeof value === 'string') return value;
  if ('Ref' in (value as object)) return refs[(value as { Ref: string }).Ref]!;
  const [separator, parts] = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return parts.map((part) => deployed(part, refs)).join(separator);
}

function logicalIdOf(template: Template, type: string): string {
  const [id] = Object.keys(template.findResources(type));
  return id!;
}

function secretStatements(
  template: Template,
  kind: UpdaterFunctionKind = 'push',
): Array<Record<string, unknown>> {
  return roleStatements(template, kind).filter((statement) =>
    [statement.Action].flat().some((action) => String(action).startsWith('secretsmanager:')),
  );
}

describe("the ImageUpdater construct's connections", () => {
  it('hands the function its connections as JSON in its environment, with the secrets it creates by ARN', () => {
    const teamAArn = 'arn:aws:secretsmanager:us-west-2:123456789012:secret:TeamAApp-MnOpQr';
    const value = deployed(functionEnvironment(teams.template).ECR_IMAGE_UPDATER_CONNECTIONS, {
      [logicalIdOf(teams.template, 'AWS::SecretsManager::Secret')]: teamAArn,
    });
    // What the function reads at start, from the value CloudFormation gives it.
    const { connections } = readRuntimeConfig({
      ECR_IMAGE_UPDATER_TABLE: 'registry',
      ECR_IMAGE_UPDATER_CONNECTIONS: value,
    });
    expect(connections).toEqual({
      github: [
        {
          name: 'gitops',
          apiUrl: 'https://api.github.com',
          secret: 'ecr-image-updater/github',
          repositories: ['acme/gitops'],
          requireConsent: true,
        },
        {
          name: 'team-a',
          apiUrl: 'https://ghe.example.com/api/v3',
          secret: teamAArn,
          repositories: ['acme/team-a-*'],
          requireConsent: false,
        },
        {
          name: 'team-b',
          apiUrl: 'https://api.github.com',
          secret: 'ecr-image-updater/github',
          repositories: ['acme/team-b-*'],
          requireConsent: true,
        },
      ],
      argocd: [
        {
          name: 'prod',
          server: 'https://argocd.internal.example.com',
          tokenSecret: ARGOCD_TOKEN_ARN,
          caBundleSecret: ARGOCD_CA_ARN,
          insecure: false,
          projects: ['team-*'],
          appNamespaces: ['argocd', 'team-*'],
          requireConsent: true,
        },
      ],
      defaultGitHub: 'gitops',
      defaultArgoCd: 'prod',
    });
  });

  it("lets the function read the connections' secrets, each once, and no other secret", () => {
    const statements = secretStatements(teams.template);
    expect(statements).toHaveLength(1);
    expect(statements[0]!.Action).toBe('secretsmanager:GetSecretValue');
    const refs = {
      'AWS::Partition': 'aws',
      [logicalIdOf(teams.template, 'AWS::SecretsManager::Secret')]: 'the ARN of TeamAApp',
    };
    expect((statements[0]!.Resource as unknown[]).map((resource) => deployed(resource, refs))).toEqual([
      // Imported by name: IAM must allow for the six characters Secrets Manager appends.
      'arn:aws:secretsmanager:us-west-2:123456789012:secret:ecr-image-updater/github-??????',
      'the ARN of TeamAApp',
      ARGOCD_TOKEN_ARN,
      ARGOCD_CA_ARN,
    ]);
    // The writer may write Argo CD too (an app registered again since it was queued): the same secrets.
    expect(secretStatements(teams.template, 'writer')).toEqual(statements);
  });

  it("carries a plain git connection to the function, grants its secret, and counts it in Lambda's 4 KB", () => {
    const gitlab = withConnections((stack) => ({
      git: {
        gitlab: {
          url: 'https://gitlab.example.com/',
          secret: secretsmanager.Secret.fromSecretNameV2(stack, 'GitLab', 'ecr-image-updater/gitlab'),
          repositories: ['platform/gitops', 'teams/*/gitops'],
        },
      },
    }));
    const { connections } = readRuntimeConfig({
      ECR_IMAGE_UPDATER_TABLE: 'registry',
      ECR_IMAGE_UPDATER_CONNECTIONS: deployed(
        functionEnvironment(gitlab.template).ECR_IMAGE_UPDATER_CONNECTIONS,
        {},
      ),
    });
    expect(connections).toEqual({
      github: [],
      argocd: [],
      git: [
        {
          name: 'gitlab',
          url: 'https://gitlab.example.com',
          secret: 'ecr-image-updater/gitlab',
          repositories: ['platform/gitops', 'teams/*/gitops'],
          requireConsent: true,
        },
      ],
      defaultGit: 'gitlab',
    });
    const resources = secretStatements(gitlab.template).flatMap(
      (statement) => statement.Resource as unknown[],
    );
    expect(resources.map((resource) => deployed(resource, { 'AWS::Partition': 'aws' }))).toEqual([
      'arn:aws:secretsmanager:us-west-2:123456789012:secret:ecr-image-updater/gitlab-??????',
    ]);
    expect(gitlab.findings.filter((finding) => finding.includes('/Updater/'))).toEqual([]);
    const many = (stack: Stack) => ({
      git: Object.fromEntries(
        Array.from({ length: 30 }, (_, i) => [
          `host-${i}`,
          {
            url: `https://git-${i}.example.com`,
            secret: new secretsmanager.Secret(stack, `Host${i}`) as secretsmanager.ISecret,
            repositories: [`team-${i}/*`],
          },
        ]),
      ),
    });
    expect(() => withConnections(many)).toThrow(
      /^connections: about [0-9,]+ bytes as the function's environment/,
    );
  });

  it('passes cdk-nag with connections', () => {
    // The secret the test creates is the platform's, not the updater's: its own findings are not ours.
    expect(teams.findings.filter((finding) => finding.includes('/Updater/'))).toEqual([]);
  });

  it('deploys without connections: the function then has none and may read no secret', () => {
    const none = withConnections(() => undefined);
    expect(none.findings).toEqual([]);
    expect(JSON.parse(functionEnvironment(none.template).ECR_IMAGE_UPDATER_CONNECTIONS as string)).toEqual({
      github: {},
      argocd: {},
    });
    expect(secretStatements(none.template)).toEqual([]);
    expect(secretStatements(none.template, 'writer')).toEqual([]);
    expect(environmentOf(none.template, 'writer').ECR_IMAGE_UPDATER_CONNECTIONS).toBe(
      functionEnvironment(none.template).ECR_IMAGE_UPDATER_CONNECTIONS,
    );
  });

  it("refuses, at synth, connections that would not fit in Lambda's 4 KB of environment", () => {
    const many = (count: number) => (stack: Stack) => ({
      github: Object.fromEntries(
        Array.from({ length: count }, (_, i) => [
          `team-${i}`,
          {
            secret: new secretsmanager.Secret(stack, `Team${i}`) as secretsmanager.ISecret,
            repositories: [`acme/team-${i}-*`],
          },
        ]),
      ),
    });
    expect(() => withConnections(many(12))).not.toThrow();
    expect(() => withConnections(many(30))).toThrow(
      /^connections: about [0-9,]+ bytes as the function's environment, more than the 3,584 bytes Lambda leaves them/,
    );
  });

  it('takes a server known only at deploy, checking what synth can see of it', () => {
    const late = withConnections((stack) => ({
      argocd: {
        imported: {
          server: `https://${Fn.importValue('argocd-internal-host')}`,
          tokenSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'A', 'argocd/a'),
          projects: ['*'],
        },
        parameter: {
          server: new CfnParameter(stack, 'ArgoCdServer').valueAsString,
          tokenSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'B', 'argocd/b'),
          projects: ['*'],
        },
      },
    }));
    expect(JSON.stringify(functionEnvironment(late.template).ECR_IMAGE_UPDATER_CONNECTIONS)).toContain(
      '{"Fn::ImportValue":"argocd-internal-host"}',
    );
    expect(() =>
      withConnections((stack) => ({
        argocd: {
          prod: {
            server: `https://admin:pw@${Fn.importValue('argocd-internal-host')}`,
            tokenSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'A', 'argocd/a'),
            projects: ['*'],
          },
        },
      })),
    ).toThrow('connections.argocd.prod.server: holds credentials; keep credentials in the secret');
  });

  it.each<[string, (stack: Stack) => ImageUpdaterConnections, string]>([
    [
      'a GitHub connection without repositories',
      (stack) => ({
        github: {
          gitops: {
            secret: secretsmanager.Secret.fromSecretNameV2(stack, 'S', 'github'),
            repositories: [],
          },
        },
      }),
      'connections.github.gitops.repositories: is required; name the repositories it may write, as owner/name globs',
    ],
    [
      'two default Argo CD connections',
      (stack) => {
        const tokenSecret = secretsmanager.Secret.fromSecretNameV2(stack, 'S', 'argocd');
        const server = 'https://argocd.internal.example.com';
        return {
          argocd: {
            blue: { server, tokenSecret, projects: ['*'], default: true },
            green: { server, tokenSecret, projects: ['*'], default: true },
          },
        };
      },
      'connections.argocd: blue and green are both marked default; mark one',
    ],
    [
      'a name a registration cannot write',
      (stack) => ({
        github: {
          'Team A': {
            secret: secretsmanager.Secret.fromSecretNameV2(stack, 'S', 'github'),
            repositories: ['acme/*'],
          },
        },
      }),
      "connections.github.'Team A': 'Team A' is not a connection name; use lowercase letters, digits and -",
    ],
    [
      'a server that is not a URL',
      (stack) => ({
        argocd: {
          prod: {
            server: 'argocd.internal',
            tokenSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'S', 'argocd'),
            projects: ['*'],
          },
        },
      }),
      "connections.argocd.prod.server: 'argocd.internal' is not a URL",
    ],
    [
      "a JavaScript caller's misspelt field",
      (stack) =>
        ({
          github: {
            gitops: {
              secret: secretsmanager.Secret.fromSecretNameV2(stack, 'S', 'github'),
              repository: ['acme/gitops'],
            },
          },
        }) as never,
      "connections.github.gitops.repository: unknown field; did you mean 'repositories'?",
    ],
  ])('refuses %s at synth, naming the field', (_what, connections, message) => {
    expect(() => withConnections(connections)).toThrow(message);
  });
});
