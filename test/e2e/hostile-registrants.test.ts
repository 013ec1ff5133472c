/**
 * The hostile registrant: someone allowed to register apps, and nothing more, tries to turn the
 * platform's credentials against it. Each way a registration could send a credential to another host,
 * or write into an app or a path whose owners did not consent, must give 0 requests carrying a
 * credential anywhere but the connection's server, 0 writes, and a `not-allowed` or `not-consented`
 * record; each refused registration exits 2 naming the field and the fix. The stack runs as deployed:
 * consent required, and a team's connection that covers that team's repositories and project only.
 */
import { LOCAL_ARGOCD_SECRET, LOCAL_GITHUB_SECRET } from '@ecr-image-updater/local/local-stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { handleImagePush } from '../../lib/app/handle-image-push.ts';
import type { AppOutcome } from '../../lib/app/outcomes.ts';
import { watchKey } from '../../lib/domain/registration/registration.ts';
import { PUSH } from '../fixtures/hostile/events.ts';
import { ECR_HOST } from '../fixtures/registrations.ts';
import { ElsewhereServer } from '../support/elsewhere-server.ts';
import { helmApp } from '../support/fake-argocd-kit.ts';
import { pushEvent } from '../support/hostile-checks.ts';
import { LocalScenario } from '../support/local-scenario.ts';
import { runCli } from '../support/run-cli.ts';

const TEAM_REPO = { owner: 'acme', name: 'team-a-gitops' };
const OTHER_REPO = { owner: 'acme', name: 'payments-gitops' };
const WEB = 'team-a/web';
const HELM = { imageName: 'image.repository', imageTag: 'image.tag' };

let scenario: LocalScenario;
let elsewhere: ElsewhereServer;
let env: Record<string, string>;

beforeAll(async () => {
  [scenario, elsewhere] = await Promise.all([
    LocalScenario.start({ requireConsent: true }),
    ElsewhereServer.start(),
  ]);
  const { stack } = scenario;
  env = stack.env();
  stack.addConnection('github', {
    name: 'team-a',
    secret: LOCAL_GITHUB_SECRET,
    repositories: ['acme/team-a-*'],
    requireConsent: true,
  });
  stack.addConnection('argocd', {
    name: 'team-a',
    tokenSecret: LOCAL_ARGOCD_SECRET,
    insecure: false,
    projects: ['team-a'],
    appNamespaces: ['argocd'],
    requireConsent: true,
  });
  // Team A's repository consents to team-a/web under apps/web only; the payments repository consents to nothing of team A.
  const consent = stringify({ allow: [{ images: [`${ECR_HOST}/${WEB}`], paths: ['apps/web'] }] });
  await stack.github.createRepository(TEAM_REPO.owner, TEAM_REPO.name, {
    files: {
      '.ecr-image-updater.yaml': consent,
      'apps/web/values.yaml': 'image:\n  tag: 1.0.0\n',
      'apps/billing/values.yaml': 'image:\n  tag: 1.0.0\n',
    },
  });
  await stack.github.createRepository(OTHER_REPO.owner, OTHER_REPO.name, {
    files: { 'apps/payments/values.yaml': 'image:\n  tag: 1.0.0\n' },
  });
  const allowWeb = { 'ecr-image-updater/allow-images': `${ECR_HOST}/${WEB}` };
  const teamApp = (name: string, annotations: Record<string, string> = {}) => {
    const app = helmApp(name, '1.0.0', 'team-a');
    return { ...app, metadata: { ...app.metadata, annotations } };
  };
  stack.argocd.putApplication(teamApp('team-a-web', allowWeb));
  stack.argocd.putApplication(teamApp('team-a-billing'));
  stack.argocd.putApplication(helmApp('payments-prod', '1.0.0', 'payments'));
});
afterAll(async () => {
  await Promise.all([scenario?.close(), elsewhere?.close()]);
});

let round = 0;
/** A fresh ECR repository per case, so that each push evaluates that case's app alone. */
const repositoryOf = (app: string) => `hostile/${app}`;

/** Pushes a new tag of a case's repository; its outcome, and the writes and requests it caused. */
async function pushFor(key: string) {
  round += 1;
  const repository = repositoryOf(key);
  const tag = `1.0.${round}`;
  scenario.stack.ecr.pushImage({ repository, tag });
  const { github, argocd } = scenario.stack;
  github.clearCalls();
  argocd.clearCalls();
  const outcome = await handleImagePush(scenario.deps(), pushEvent(repository, tag, PUSH));
  const apps = outcome.kind === 'handled' ? outcome.apps : [];
  // A GraphQL query is a POST that writes nothing; its mutations are the writes.
  const writes = [
    ...github.calls.filter((call) => call.method !== 'GET' && call.operationId !== 'graphql'),
    ...github.graphqlCalls.filter((call) => call.operation !== 'query'),
    ...argocd.calls.filter((call) => call.operationId !== 'ApplicationService_Get'),
  ];
  return { apps, writes, githubCalls: github.callCount(), argocdCalls: argocd.calls.length };
}

/** Stores a registration as it is, bypassing validation: as an item written before connections. */
function storeAsIs(document: { name: string; images: Array<{ image: string }> }) {
  const { accountId, region } = scenario.stack;
  const repository = document.images[0]!.image.slice(ECR_HOST.length + 1).replace(/:.*$/, '');
  return scenario.stack
    .registry()
    .put(document.name, document, [watchKey({ accountId, region }, repository)]);
}

const gitApp = (name: string, git: Record<string, unknown>, image = repositoryOf(name)) => ({
  name,
  images: [{ image: `${ECR_HOST}/${image}`, helm: HELM }],
  writeBack: {
    method: 'git',
    git: { repo: `${TEAM_REPO.owner}/${TEAM_REPO.name}`, path: 'apps/web', target: 'helmvalues', ...git },
  },
});
const argoApp = (
  name: string,
  argocd: Record<string, unknown>,
  application = name,
  image = repositoryOf(name),
) => ({
  name: application,
  images: [{ image: `${ECR_HOST}/${image}`, helm: HELM }],
  writeBack: { method: 'argocd', argocd: { sync: 'never', ...argocd } },
});

const skipped = (apps: readonly AppOutcome[], code: string) =>
  expect(apps).toMatchObject([{ kind: 'skipped', code }]);

describe('a registration that tries to send a credential elsewhere', () => {
  const elsewhereUrl = () => `http://${elsewhere.host}`;
  const cases: ReadonlyArray<readonly [string, () => Record<string, unknown>]> = [
    ['writeBack.git.apiUrl', () => gitApp('legacy-api-url', { apiUrl: elsewhereUrl() })],
    [
      'writeBack.git.credentialsSecret',
      () => gitApp('legacy-credentials', { credentialsSecret: LOCAL_GITHUB_SECRET }),
    ],
    ['writeBack.argocd.server', () => argoApp('legacy-server', { server: elsewhereUrl() })],
    ['writeBack.argocd.tokenSecret', () => argoApp('legacy-token', { tokenSecret: LOCAL_ARGOCD_SECRET })],
    ['writeBack.argocd.caBundleSecret', () => argoApp('legacy-ca', { caBundleSecret: 'ca' })],
    ['writeBack.argocd.insecure', () => argoApp('legacy-insecure', { insecure: true })],
  ];

  it.each(cases)(
    'is refused by apps register when it holds %s, exit 2 naming it and the fix',
    async (field, build) => {
      const result = await runCli(['apps', 'register', '-f', '-'], stringify(build()), env);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`${field}: is not allowed in a registration`);
      expect(result.stderr).toContain('name a connection with');
      expect(result.stderr).toContain('docs/connections.md');
    },
  );

  it.each(cases)(
    'is skipped, not-allowed, with no call at all, when stored with %s',
    async (_field, build) => {
      const document = build() as { name: string; images: Array<{ image: string }> };
      await storeAsIs(document);
      const { apps, writes, githubCalls, argocdCalls } = await pushFor(document.name);
      skipped(apps, 'not-allowed');
      expect(writes).toEqual([]);
      expect(githubCalls + argocdCalls).toBe(0);
      expect(elsewhere.requests).toEqual([]);
    },
  );

  it('never takes the host of a repository URL: the connection’s API is the only one called', async () => {
    const app = gitApp(
      'url-repo',
      { repo: `http://${elsewhere.host}/${TEAM_REPO.owner}/${TEAM_REPO.name}` },
      WEB,
    );
    await scenario.register(app);
    round += 1;
    scenario.stack.ecr.pushImage({ repository: WEB, tag: `1.0.${round}` });
    await handleImagePush(scenario.deps(), pushEvent(WEB, `1.0.${round}`, PUSH));
    expect(elsewhere.requests).toEqual([]);
  });
});

describe('a registration that tries to write where its owners did not consent', () => {
  it('moves its own app where consent is given (the control: the refusals below are not vacuous)', async () => {
    await scenario.register(gitApp('team-a-web-git', { connection: 'team-a' }, WEB));
    await scenario.register(
      argoApp('team-a-web-argo', { connection: 'team-a', project: 'team-a' }, 'team-a-web', WEB),
    );
    round += 1;
    scenario.stack.ecr.pushImage({ repository: WEB, tag: `1.0.${round}` });
    const outcome = await handleImagePush(scenario.deps(), pushEvent(WEB, `1.0.${round}`, PUSH));
    expect(outcome).toMatchObject({ kind: 'handled' });
    const apps = outcome.kind === 'handled' ? outcome.apps : [];
    expect(
      apps
        .filter((app) => app.kind === 'updated')
        .map((app) => app.app)
        .sort(),
    ).toEqual(expect.arrayContaining(['team-a-web', 'team-a-web-git']));
  });

  // [what, the code expected, the case's key (its ECR repository), the registration]
  const cases: ReadonlyArray<readonly [string, string, string, Record<string, unknown>]> = [
    [
      "another app's path in a consenting repository",
      'not-consented',
      'into-billing',
      gitApp('into-billing', { connection: 'team-a', path: 'apps/billing' }),
    ],
    [
      'a repository that consents to nothing of it, through the default connection',
      'not-consented',
      'into-payments',
      gitApp('into-payments', { repo: `${OTHER_REPO.owner}/${OTHER_REPO.name}`, path: 'apps/payments' }),
    ],
    [
      "a repository outside its connection's repositories",
      'not-allowed',
      'outside-connection',
      gitApp('outside-connection', {
        connection: 'team-a',
        repo: `${OTHER_REPO.owner}/${OTHER_REPO.name}`,
        path: 'apps/payments',
      }),
    ],
    [
      'a connection the platform does not declare',
      'not-allowed',
      'unknown-connection',
      gitApp('unknown-connection', { connection: 'personal' }),
    ],
    [
      'an Application that does not allow the image',
      'not-consented',
      'into-team-a-billing',
      argoApp('into-team-a-billing', { connection: 'team-a', project: 'team-a' }, 'team-a-billing'),
    ],
    [
      "another team's Application, through the default connection",
      'not-consented',
      'into-payments-prod',
      argoApp('into-payments-prod', { project: 'payments' }, 'payments-prod'),
    ],
    [
      "another team's project, through its own connection",
      'not-allowed',
      'payments-via-team-a',
      argoApp('payments-via-team-a', { connection: 'team-a', project: 'payments' }, 'payments-prod'),
    ],
    [
      "a namespace outside its connection's",
      'not-allowed',
      'other-namespace',
      argoApp('other-namespace', { connection: 'team-a', project: 'team-a', appNamespace: 'kube-system' }),
    ],
  ];

  it.each(cases)('writes nothing into %s: %s', async (_what, code, key, document) => {
    await scenario.register(document);
    const { apps, writes } = await pushFor(key);
    skipped(apps, code);
    expect(writes).toEqual([]);
  });

  it("writes nothing when the registration lies about the Application's project: Argo CD refuses the read", async () => {
    await scenario.register(
      argoApp('payments-as-team-a', { connection: 'team-a', project: 'team-a' }, 'payments-prod'),
    );
    const { apps, writes } = await pushFor('payments-as-team-a');
    expect(apps).toMatchObject([{ kind: 'failed', retryable: false }]);
    expect(writes).toEqual([]);
  });
});
