/**
 * The tutorial through git: flask-app follows flask-app:~1.0 and writes .argocd-source-flask-app.yaml;
 * then flask-values (the chart's values.yaml) and flask-preview (pull requests) join, so one push makes
 * one commit for two apps and a pull request for the third, and the next push moves that pull request.
 */

import { MemoryLogger } from 'ecr-image-updater/lib/adapters/memory-logger';
import { registerApps } from 'ecr-image-updater/lib/app/register-app';
import { describeRegistration } from 'ecr-image-updater/lib/domain/registration/describe-registration';
import type { LocalStack } from '../local-stack.ts';
import { canRunLayerBinaries } from '../render/kubectl-layer-binaries.ts';
import { deploymentImages, renderArgoCdApp } from '../render/render-argocd-app.ts';
import {
  flaskAppChart,
  flaskAppRegistration,
  TUTORIAL_APP_PATH,
  TUTORIAL_REPO,
  tutorialRepositoryFiles,
} from './flask-app-chart.ts';
import { pushThrough } from './push-through.ts';
import type { TutorialOutput } from './tutorial-output.ts';

export async function gitTour(
  stack: LocalStack,
  out: TutorialOutput,
): Promise<{ images: string[]; commits: number; pulls: number }> {
  const repo = { owner: TUTORIAL_REPO.owner, name: TUTORIAL_REPO.name };
  const chart = flaskAppChart(stack.registryHost);
  await stack.github.createRepository(repo.owner, repo.name, {
    defaultBranch: TUTORIAL_REPO.branch,
    files: tutorialRepositoryFiles(stack.registryHost),
    message:
      'flask-app Helm chart (values: image.repository, image.tag; NodePort 30050), and the consent file: flask-app may be written under flask-app/',
  });
  const logger = new MemoryLogger();
  const register = async (documents: unknown[], files: readonly string[]) => {
    for (const file of files) out.indented(`$ ecr-image-updater apps register -f ${file}`);
    for (const { registration, stored, notes } of await registerApps(stack.registry(), documents)) {
      out.indented(describeRegistration(registration, stored.revision, stored.paused));
      for (const note of notes) out.indented(`note: ${note}`, 5);
    }
  };

  out.heading('Register flask-app (flask-app:~1.0, git write-back to .argocd-source-flask-app.yaml)');
  await register([flaskAppRegistration(stack.registryHost)], ['examples/flask-app.yaml']);
  out.heading('docker push flask-app:1.0.0: the first version, committed');
  await pushThrough(stack, logger, out, '1.0.0');
  out.heading('docker push flask-app:1.0.2: a patch inside ~1.0, committed');
  await pushThrough(stack, logger, out, '1.0.2');
  out.heading(
    'docker push flask-app:2.0.0 for two platforms: the untagged children are ignored; 2.0.0 is outside ~1.0',
  );
  await pushThrough(stack, logger, out, '2.0.0', ['linux/amd64', 'linux/arm64']);

  out.heading(
    "Two more apps on the same repository: flask-values edits the chart's values.yaml, flask-preview opens pull requests",
  );
  const image = `${stack.registryHost}/flask-app:~1.0`;
  const git = { repo: `${repo.owner}/${repo.name}`, branch: TUTORIAL_REPO.branch, path: TUTORIAL_APP_PATH };
  await register(
    [
      {
        name: 'flask-values',
        images: [{ image, helm: { imageName: 'image.repository', imageTag: 'image.tag' } }],
        writeBack: { method: 'git', git: { ...git, target: 'helmvalues' } },
      },
      {
        name: 'flask-preview',
        images: [{ image }],
        writeBack: { method: 'git', git: { ...git, pullRequest: true } },
      },
    ],
    ['examples/flask-values.yaml', 'examples/flask-preview.yaml'],
  );
  out.heading(
    'docker push flask-app:1.0.3: one commit for flask-app and flask-values, a pull request for flask-preview',
  );
  await pushThrough(stack, logger, out, '1.0.3');
  out.heading(
    'docker push flask-app:1.0.4: the same, and the open pull request moves to 1.0.4 instead of a second one',
  );
  await pushThrough(stack, logger, out, '1.0.4');

  const read = (path: string) => stack.github.readFile(repo.owner, repo.name, TUTORIAL_REPO.branch, path);
  const source = await read(`${TUTORIAL_APP_PATH}/.argocd-source-flask-app.yaml`);
  const values = (await read(`${TUTORIAL_APP_PATH}/values.yaml`)) ?? '';
  const log = await stack.github.log(repo.owner, repo.name, TUTORIAL_REPO.branch);
  const pulls = await stack.github.pulls(repo.owner, repo.name);
  out.heading(`What the repository holds now (${repo.owner}/${repo.name}, ${TUTORIAL_REPO.branch})`);
  out.indented(`${TUTORIAL_APP_PATH}/.argocd-source-flask-app.yaml:\n${source ?? '(none)'}`);
  out.indented(
    `${TUTORIAL_APP_PATH}/values.yaml (only the tag changed; comments and layout are kept):\n${values.split('\n').slice(0, 6).join('\n')}`,
  );
  out.indented(
    `$ git log --oneline\n${log.map((c) => `${c.sha.slice(0, 7)} ${c.message.split('\n')[0]}`).join('\n')}`,
  );
  out.indented(
    `open pull requests:\n${pulls.map((p) => `#${p.number} ${p.title} (from ${p.head})`).join('\n')}`,
  );

  let images: string[] = [];
  if (canRunLayerBinaries()) {
    const files = { ...chart, 'values.yaml': values };
    images = deploymentImages(
      await renderArgoCdApp({ files, releaseName: 'flask-app', ...(source ? { argoCdSource: source } : {}) }),
    );
    out.indented(
      '$ helm template flask-app flask-app/ --set-string <the parameters of .argocd-source-flask-app.yaml>',
    );
    for (const rendered of images)
      out.indented(`Deployment flask-app, container flask-app: image ${rendered}`);
  } else {
    out.indented(
      `(rendering skipped: the bundled helm is linux-amd64, this machine is ${process.platform}-${process.arch})`,
    );
  }
  return { images, commits: log.length - 1, pulls: pulls.length };
}
