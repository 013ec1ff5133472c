import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, typescriptSources as sources } from '../support/typescript-sources.ts';

const KINDS = ['unit', 'integration', 'contract', 'e2e'] as const;

/**
 * Modules without a test file of their own, and why that is enough. A key ending in '/' covers every
 * module below it that has no test of its own.
 */
const TESTED_THROUGH: Readonly<Record<string, string>> = {
  'lib/domain/tags/tag-candidate.ts': 'types only',
  'lib/app/ports.ts': 'types only',
  'lib/app/update-dependencies.ts': 'types, and the retry wrapper every use case test goes through',
  'lib/app/evaluate-app.ts':
    'every app of every push, reconcile and queued write: test/integration/app/handle-image-push.test.ts, write-queued-apps.test.ts',
  'lib/domain/registration/registration-images.ts':
    'part of the registration parser; its fixture table covers every field',
  'lib/domain/registration/registration-write-back.ts':
    'part of the registration parser; its fixture table covers every field',
  'lib/domain/tags/regexp/':
    'internal to the regexp engine; tested through compile-re2 and its differential test',
  'lib/adapters/ecr-image-failures.ts':
    'part of the ECR catalog; tested through test/integration/adapters/ecr-image-catalog.test.ts with the fake ECR',
  'lib/adapters/ecr-image-scans.ts':
    'part of the ECR catalog; tested through test/integration/adapters/ecr-image-catalog.test.ts with the fake ECR',
  'local/src/ecr/': 'internal to the fake ECR; tested through test/integration/local/ecr with the real SDK',
  'local/src/sqs/':
    'internal to the fake SQS and the event source stand-in; tested through test/integration/local/fake-sqs-server, fake-sqs-fifo and sqs-event-source with the real SDK',
  'local/src/github/':
    'internal to the fake GitHub; tested through test/integration/local/github and test/contract/local/github',
  'local/src/git-http/':
    'internal to the fake git host; tested through test/integration/local/git-http with the git client',
  'local/src/argocd/':
    'internal to the fake Argo CD; tested through test/integration/local/argocd, test/contract/local/argocd and test/unit/local/argocd',
  'lib/app/update-apps.ts':
    'the pipeline of handle-image-push and reconcile-apps; tested through test/integration/app for both',
  'lib/adapters/github-graphql.ts':
    "OctokitGitRepository's commits; tested through test/integration/adapters/github-repository against the fake GitHub",
  'lib/adapters/sqs-dead-letter-queue.ts':
    'the queue of test/integration/app/redrive-dead-letters, on the fake SQS',
  'local/src/lambda-failure-record.ts':
    'builds the records of test/unit/domain/events/dead-letter and the redrive tests',
  'lib/adapters/create-image-push-dependencies.ts':
    'wiring; exercised by every end-to-end test through LocalStack',
  'local/src/aws-wire-fault.ts': "a type; its faults are exercised by the dynalite and AWS JSON peers' tests",
  'local/src/create-registry-table.ts': 'used by every registry test to make its table',
  'local/src/deliver-push.ts': 'exercised by test/e2e/image-push and cli-local',
  'local/src/deliver-scan.ts': 'exercised by test/e2e/cli-local (local push --scan-findings)',
  'local/src/local-stack.ts': 'exercised by every end-to-end test',
  'local/src/unlimited-abort-controller.ts':
    'the closing signal of every peer; exercised by their latency tests',
  'local/src/tutorial/': 'exercised by test/e2e/cli-local (npm start)',
  'local/src/cli/': 'the local and demo commands; run by test/e2e/cli-local through the CLI',
  'infra/app.ts': 'the CDK app; run by test/e2e/cdk-synth through the real cdk CLI',
  'infra/image-updater-alarms.ts': 'part of the construct; asserted by test/infra/image-updater',
  'infra/image-updater-dashboard.ts': 'part of the construct; asserted by test/infra/image-updater',
};

function hasOwnTest(file: string): boolean {
  if (file.startsWith('infra/')) return existsSync(join(ROOT, 'test', file.replace(/\.ts$/, '.test.ts')));
  // lib/x.ts is tested at test/<kind>/x.test.ts; the local package's local/src/x.ts at test/<kind>/local/x.test.ts.
  const mirrored = file
    .replace(/^lib\//, '')
    .replace(/^local\/src\//, 'local/')
    .replace(/\.ts$/, '.test.ts');
  return KINDS.some((kind) => existsSync(join(ROOT, 'test', kind, mirrored)));
}

function exemption(file: string): string | undefined {
  return Object.keys(TESTED_THROUGH).find((key) => (key.endsWith('/') ? file.startsWith(key) : file === key));
}

describe('the test suite', () => {
  it('has a test for every module of lib/, mirroring its path under test/unit, integration, contract or e2e', () => {
    expect(sources('lib').filter((file) => !hasOwnTest(file) && !exemption(file))).toEqual([]);
  });

  it('has a test for every module of the local package, mirroring its path under test/<kind>/local', () => {
    expect(sources('local/src').filter((file) => !hasOwnTest(file) && !exemption(file))).toEqual([]);
  });

  it('has a test for every module of infra/, under test/infra', () => {
    expect(sources('infra').filter((file) => !hasOwnTest(file) && !exemption(file))).toEqual([]);
  });

  it('names no module as tested through another that no longer exists', () => {
    expect(Object.keys(TESTED_THROUGH).filter((key) => !existsSync(join(ROOT, key)))).toEqual([]);
  });
});
