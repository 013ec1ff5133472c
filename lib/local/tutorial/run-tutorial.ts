/**
 * The seed tutorial (devopscube/argocd-image-updater), end to end on the local peers: a GitOps
 * repository with the flask-app chart, `flask-app` registered to follow `flask-app:~1.0`, then pushes
 * of 1.0.0, 1.0.2, 2.0.0 (a multi-platform image whose children are ignored), each through the same
 * handler the Lambda runs; it prints a timeline, the final file, the git log and what helm renders.
 */

import { MemoryLogger } from '../../adapters/memory-logger.ts';
import { handleImagePush } from '../../app/handle-image-push.ts';
import { summarizeApp } from '../../app/outcomes.ts';
import { registerApps } from '../../app/register-app.ts';
import { describeRegistration } from '../../domain/describe-registration.ts';
import { deliverPush } from '../deliver-push.ts';
import { LocalStack } from '../local-stack.ts';
import { canRunLayerBinaries } from '../render/kubectl-layer-binaries.ts';
import { deploymentImages, renderArgoCdApp } from '../render/render-argocd-app.ts';
import { describeDelivery } from './describe-delivery.ts';
import { flaskAppChart, flaskAppRegistration, TUTORIAL_APP_PATH, TUTORIAL_REPO } from './flask-app-chart.ts';

export interface TutorialResult {
  readonly finalImages: readonly string[];
  readonly commits: number;
}

export async function runTutorial(write: (text: string) => void): Promise<TutorialResult> {
  const stack = await LocalStack.start();
  try {
    const line = (text = '') => write(`${text}\n`);
    line('ecr-image-updater: the seed tutorial, end to end on local peers (no AWS account, no Docker)');
    line();
    line('Peers');
    line(`  DynamoDB         ${stack.dynamodb.endpoint}  table ${stack.tableName}`);
    line(`  ECR              ${stack.ecr.url}  registry ${stack.registryHost}`);
    line(`  Secrets Manager  ${stack.secrets.url}  GitHub token secret`);
    line(
      `  GitHub           ${stack.github.url}  ${TUTORIAL_REPO.owner}/${TUTORIAL_REPO.name} (bare git repository)`,
    );

    const chart = flaskAppChart(stack.registryHost);
    await stack.github.createRepository(TUTORIAL_REPO.owner, TUTORIAL_REPO.name, {
      defaultBranch: TUTORIAL_REPO.branch,
      files: Object.fromEntries(
        Object.entries(chart).map(([path, text]) => [`${TUTORIAL_APP_PATH}/${path}`, text]),
      ),
      message: 'flask-app Helm chart (values: image.repository, image.tag; NodePort 30050)',
    });

    line();
    line('1. Register flask-app (flask-app:~1.0, git write-back)');
    line('   $ ecr-image-updater apps register -f examples/flask-app.yaml');
    const [registered] = await registerApps(stack.registry(), [flaskAppRegistration(stack.registryHost)]);
    line(
      `   ${describeRegistration(registered!.registration, registered!.stored.revision, registered!.stored.paused)}`,
    );

    const logger = new MemoryLogger();
    const deps = stack.dependencies(logger);
    const pushes: ReadonlyArray<{ tag: string; platforms?: string[]; note: string }> = [
      { tag: '1.0.0', note: 'the first version: committed' },
      { tag: '1.0.2', note: 'a patch inside ~1.0: committed' },
      {
        tag: '2.0.0',
        platforms: ['linux/amd64', 'linux/arm64'],
        note: 'a multi-platform 2.0.0: outside ~1.0, and its untagged children are ignored',
      },
    ];
    for (const [index, push] of pushes.entries()) {
      line();
      line(
        `${index + 2}. docker push flask-app:${push.tag}${push.platforms ? ` (${push.platforms.join(', ')})` : ''}: ${push.note}`,
      );
      const started = performance.now();
      const delivered = await deliverPush(stack.clients().ecr, (event) => handleImagePush(deps, event), {
        accountId: stack.accountId,
        region: stack.region,
        repository: 'flask-app',
        tag: push.tag,
        ...(push.platforms ? { platforms: push.platforms } : {}),
      });
      for (const text of describeDelivery(delivered, summarizeApp)) line(`   ${text}`);
      line(`   (${Math.round(performance.now() - started)} ms from push to write-back on the local peers)`);
    }

    const sourcePath = `${TUTORIAL_APP_PATH}/.argocd-source-flask-app.yaml`;
    const source = await stack.github.readFile(
      TUTORIAL_REPO.owner,
      TUTORIAL_REPO.name,
      TUTORIAL_REPO.branch,
      sourcePath,
    );
    const log = await stack.github.log(TUTORIAL_REPO.owner, TUTORIAL_REPO.name, TUTORIAL_REPO.branch);
    line();
    line(`Result: ${sourcePath} on ${TUTORIAL_REPO.branch}`);
    for (const text of (source ?? '(none)\n').trimEnd().split('\n')) line(`   ${text}`);
    line();
    line('   $ git log --oneline');
    for (const commit of log) line(`   ${commit.sha.slice(0, 7)} ${commit.message.split('\n')[0]}`);

    let finalImages: string[] = [];
    line();
    if (canRunLayerBinaries()) {
      const manifests = await renderArgoCdApp({
        files: chart,
        releaseName: 'flask-app',
        ...(source ? { argoCdSource: source } : {}),
      });
      finalImages = deploymentImages(manifests);
      line(
        '   $ helm template flask-app flask-app/ --set-string <the parameters of .argocd-source-flask-app.yaml>',
      );
      for (const image of finalImages) line(`   Deployment flask-app, container flask-app: image ${image}`);
    } else {
      line(
        `   (rendering skipped: the bundled helm is linux-amd64, this machine is ${process.platform}-${process.arch})`,
      );
    }
    line();
    line(
      'Try it by hand: ecr-image-updater local up (keeps these peers running), then apps register and local push.',
    );
    return { finalImages, commits: log.length - 1 };
  } finally {
    await stack.close();
  }
}
