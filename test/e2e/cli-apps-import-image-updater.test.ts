/**
 * `apps import` of ImageUpdater resources, end to end: the examples of Argo CD Image Updater's docs
 * (written anew in test/fixtures/argocd/image-updater/) become the registrations they mean, printed by
 * --dry-run --json; with --from-argocd, the resources select among the Applications the (fake) Argo CD
 * lists through the local connection.
 */

import { readFileSync } from 'node:fs';
import { LocalStack } from '@ecr-image-updater/local/local-stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { HOST } from '../fixtures/argocd/applications.ts';
import { runCli } from '../support/run-cli.ts';

const fixture = (name: string) =>
  new URL(`../fixtures/argocd/image-updater/${name}`, import.meta.url).pathname;
const APPLICATIONS = fixture('applications.yaml');
const ARGOCD = { method: 'argocd', argocd: { project: 'default', appNamespace: 'argocd' } };

let stack: LocalStack;
let env: Record<string, string>;
beforeAll(async () => {
  stack = await LocalStack.start();
  env = stack.env();
});
afterAll(() => stack.close());

async function dryRun(...args: string[]) {
  const result = await runCli(['apps', 'import', ...args, '--dry-run', '--json'], '', env);
  expect(result.stderr).not.toMatch(/^ecr-image-updater/);
  expect(result.code).toBe(0);
  const output = JSON.parse(result.stdout) as {
    apps: Array<{ name: string; dryRun: true; document: unknown; warnings: string[] }>;
    warnings: string[];
  };
  return { ...output, stderr: result.stderr };
}

// Each example, and the registrations it means.
const EXAMPLES = [
  {
    file: 'basic-defaults.yaml',
    registrations: [
      {
        name: 'my-app-web',
        images: [{ alias: 'nginx', image: `${HOST}/nginx:1.20`, strategy: 'semver' }],
        writeBack: ARGOCD,
      },
    ],
  },
  {
    file: 'app-overrides.yaml',
    registrations: [
      {
        name: 'production-api',
        images: [{ alias: 'app', image: `${HOST}/myapp:latest`, strategy: 'digest', kustomize: {} }],
        writeBack: ARGOCD,
      },
      {
        name: 'staging-api',
        images: [{ alias: 'app', image: `${HOST}/myapp:latest`, strategy: 'newest-build', kustomize: {} }],
        writeBack: ARGOCD,
      },
    ],
  },
  {
    file: 'git-write-back.yaml',
    registrations: [
      {
        name: 'my-app-web',
        images: [
          {
            alias: 'nginx',
            image: `${HOST}/nginx:1.20`,
            helm: { imageName: 'image.repository', imageTag: 'image.tag' },
          },
        ],
        writeBack: {
          method: 'git',
          git: {
            repo: 'acme/myrepo',
            path: 'apps/my-app-web',
            branch: 'main',
            target: 'helmvalues:./values.yaml',
          },
        },
      },
    ],
  },
  {
    file: 'digest.yaml',
    registrations: [
      {
        name: 'dev',
        images: [
          { alias: 'api', image: `${HOST}/vendor/api:latest`, strategy: 'digest', kustomize: {} },
          { alias: 'front', image: `${HOST}/vendor/front:latest`, strategy: 'digest', kustomize: {} },
        ],
        writeBack: ARGOCD,
      },
    ],
  },
  {
    file: 'pull-request.yaml',
    registrations: [
      {
        name: 'my-app',
        images: [{ alias: 'api', image: `${HOST}/myorg/api:1.x`, strategy: 'semver' }],
        writeBack: {
          method: 'git',
          git: {
            repo: 'acme/myrepo',
            path: 'apps/my-app',
            branch: 'main',
            target: 'helmvalues:/helm/values.yaml',
            pullRequest: true,
          },
        },
      },
    ],
  },
  {
    file: 'semver-constraints.yaml',
    registrations: [
      {
        name: 'prod',
        images: [
          { alias: 'api', image: `${HOST}/vendor/api:1.x`, strategy: 'semver', kustomize: {} },
          { alias: 'front', image: `${HOST}/vendor/front:1.x`, strategy: 'semver', kustomize: {} },
        ],
        writeBack: ARGOCD,
      },
    ],
  },
  {
    file: 'specificity.yaml',
    registrations: [
      {
        name: 'app-1',
        images: [{ alias: 'test1', image: `${HOST}/test:1.1.0`, kustomize: {} }],
        writeBack: ARGOCD,
      },
      {
        name: 'app-prod-eu',
        images: [{ alias: 'nginx', image: `${HOST}/nginx:1.20`, kustomize: {} }],
        writeBack: ARGOCD,
      },
      {
        name: 'app-2',
        images: [{ alias: 'redis', image: `${HOST}/redis:6.2`, kustomize: {} }],
        writeBack: ARGOCD,
      },
    ],
  },
  {
    file: 'labels.yaml',
    registrations: [
      {
        name: 'shop-api',
        images: [{ alias: 'app', image: `${HOST}/myapp:~1`, kustomize: {} }],
        writeBack: ARGOCD,
      },
      {
        name: 'web-store',
        images: [{ alias: 'webapp', image: `${HOST}/webapp`, kustomize: {} }],
        writeBack: ARGOCD,
      },
    ],
  },
  {
    file: 'use-annotations.yaml',
    registrations: [
      {
        name: 'annotated-web',
        images: [
          {
            alias: 'web',
            image: `${HOST}/web:~2.0`,
            strategy: 'newest-build',
            helm: { imageSpec: 'web.image' },
          },
        ],
        writeBack: ARGOCD,
      },
    ],
  },
  {
    file: 'kustomize-image.yaml',
    registrations: [
      {
        name: 'argocd-server',
        images: [
          {
            alias: 'argocd',
            image: `${HOST}/argoproj/argocd:latest`,
            strategy: 'digest',
            forceUpdate: true,
            kustomize: { imageName: 'quay.io/argoproj/argocd' },
          },
        ],
        writeBack: ARGOCD,
      },
    ],
  },
] as const;

describe('ecr-image-updater apps import of ImageUpdater resources', () => {
  it.each(EXAMPLES)(
    'turns the docs example $file into the registrations it means',
    async ({ file, registrations }) => {
      const { apps, warnings } = await dryRun(fixture(file), APPLICATIONS);
      expect(apps.map((app) => app.document)).toEqual(registrations);
      expect(apps.every((app) => app.dryRun)).toBe(true);
      // The Applications the example does not select are named once, as skipped.
      expect(warnings.at(-1)).toMatch(/^Applications selected by no ImageUpdater, skipped: /);
    },
  );

  it('warns that the useAnnotations example asks for a signature check the updater does not make', async () => {
    const { apps } = await dryRun(fixture('use-annotations.yaml'), APPLICATIONS);
    expect(apps[0]!.warnings).toEqual([
      'ImageUpdater argocd/annotations-updater spec.applicationRefs[0].imagesVerification: not mapped: the updater does not verify image signatures; verify them in the pipeline that pushes to ECR, or keep Argo CD Image Updater for this image',
    ]);
  });

  it("maps the docs' complete example, leaving out what is not ECR and what is in another namespace", async () => {
    const { apps, warnings, stderr } = await dryRun(
      fixture('complete-example.yaml'),
      fixture('complete-example-applications.yaml'),
    );
    expect(apps.map((app) => app.document)).toEqual([
      {
        name: 'frontend-web',
        images: [
          {
            alias: 'frontend',
            image: `${HOST}/frontend:v1.0`,
            strategy: 'newest-build',
            allowTags: 'regexp:^v[0-9]+\\.[0-9]+\\.[0-9]+-prod$',
            ignoreTags: ['latest', 'dev', 'test'],
            forceUpdate: true,
            helm: { imageName: 'frontend.image.repository', imageTag: 'frontend.image.tag' },
          },
        ],
        writeBack: {
          method: 'git',
          git: {
            repo: 'acme/frontend-config',
            path: 'charts/frontend',
            branch: 'main',
            target: 'helmvalues:/values.yaml',
          },
        },
      },
      {
        name: 'backend',
        images: [
          {
            alias: 'api',
            image: `${HOST}/backend:v2.0`,
            strategy: 'digest',
            allowTags: 'regexp:^v[0-9]+\\.[0-9]+\\.[0-9]+$',
            ignoreTags: ['latest', 'dev', 'test'],
            kustomize: {},
          },
        ],
        writeBack: ARGOCD,
      },
    ]);
    expect(apps[0]!.warnings).toContainEqual(
      "ImageUpdater argocd/production-updater spec.applicationRefs[0].images[1].imageName: 'nginx:1.20' not mapped: not an ECR image, and the updater follows ECR pushes only; keep another updater for it",
    );
    expect(warnings).toEqual([
      expect.stringContaining(
        'selected by no ImageUpdater, skipped: argocd/frontend-preview, team-b/backend (',
      ),
    ]);
    expect(stderr).toContain(
      "  warning: backend: ImageUpdater argocd/production-updater spec.applicationRefs[1].images[1].imageName: 'postgres:13' not mapped",
    );
  });

  it("refuses the docs' myapp:stable under semver, naming the field, as no tag would ever match", async () => {
    const text = readFileSync(fixture('labels.yaml'), 'utf8').replace('myapp:~1', 'myapp:stable');
    const result = await runCli(['apps', 'import', '-', APPLICATIONS, '--dry-run'], text, env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "ImageUpdater argocd/label-updater spec.applicationRefs[0].images[0].imageName: 'stable' is not a valid constraint",
    );
  });

  it('selects among the Applications Argo CD lists with --from-argocd, in the resource namespace only', async () => {
    const documents = parseAllDocuments(readFileSync(APPLICATIONS, 'utf8')).map((document) =>
      document.toJS(),
    );
    for (const application of documents) stack.argocd.putApplication(application);
    stack.argocd.putApplication({
      ...documents[6],
      metadata: { ...documents[6].metadata, namespace: 'team-b' },
    });
    const { apps, warnings } = await dryRun(fixture('specificity.yaml'), '--from-argocd');
    expect(apps.map((app) => app.name)).toEqual(['app-1', 'app-2', 'app-prod-eu']);
    expect(warnings).toEqual([]);
  });

  it('says which connection is missing when --from-argocd names none that exists', async () => {
    const result = await runCli(
      [
        'apps',
        'import',
        fixture('specificity.yaml'),
        '--from-argocd',
        '--argocd-connection',
        'prod',
        '--dry-run',
      ],
      '',
      env,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "--argocd-connection: 'prod' is not an Argo CD connection (declared: local)",
    );
  });
});
