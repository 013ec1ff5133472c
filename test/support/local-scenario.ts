/**
 * A local stack with the seed tutorial's GitOps repository, for end-to-end tests: register apps, push
 * images, read what landed in git and render it with the real helm.
 */

import { deliverPush, type PushRequest } from '@ecr-image-updater/local/deliver-push';
import { LocalStack, type LocalStackOptions } from '@ecr-image-updater/local/local-stack';
import { deploymentImages, renderArgoCdApp } from '@ecr-image-updater/local/render/render-argocd-app';
import {
  flaskAppChart,
  TUTORIAL_APP_PATH,
  TUTORIAL_REPO,
  tutorialRepositoryFiles,
} from '@ecr-image-updater/local/tutorial/flask-app-chart';
import { MemoryLogger } from '../../lib/adapters/memory-logger.ts';
import { handleImagePush } from '../../lib/app/handle-image-push.ts';
import { registerApps } from '../../lib/app/register-app.ts';

export class LocalScenario {
  readonly logger = new MemoryLogger();

  private constructor(readonly stack: LocalStack) {}

  /**
   * The consent of targets' owners is off unless asked for: most scenarios are about something else,
   * and register apps the tutorial repository's consent file does not name. The fake GitHub is as strict
   * as GitHub unless `github` relaxes it.
   */
  static async start(
    options: Pick<
      LocalStackOptions,
      | 'requireConsent'
      | 'github'
      | 'writeQueue'
      | 'writeVisibilitySeconds'
      | 'sqsNow'
      | 'gitHost'
      | 'spokeAccounts'
    > = {},
  ): Promise<LocalScenario> {
    const stack = await LocalStack.start({ ...options, requireConsent: options.requireConsent ?? false });
    await stack.github.createRepository(TUTORIAL_REPO.owner, TUTORIAL_REPO.name, {
      files: tutorialRepositoryFiles(stack.registryHost),
      defaultBranch: TUTORIAL_REPO.branch,
    });
    return new LocalScenario(stack);
  }

  deps() {
    return this.stack.dependencies(this.logger);
  }

  register(...documents: unknown[]) {
    return registerApps(this.stack.registry(), documents);
  }

  handle = (event: unknown) => handleImagePush(this.deps(), event);

  push(repository: string, tag: string, options: Partial<PushRequest> = {}) {
    return deliverPush(this.stack.clients().ecr, this.handle, {
      accountId: this.stack.accountId,
      region: this.stack.region,
      repository,
      tag,
      ...options,
    });
  }

  /** A file of the tutorial repository on its branch. */
  file(path: string, repo: { owner: string; name: string } = TUTORIAL_REPO) {
    return this.stack.github.readFile(repo.owner, repo.name, TUTORIAL_REPO.branch, path);
  }

  log(repo: { owner: string; name: string } = TUTORIAL_REPO) {
    return this.stack.github.log(repo.owner, repo.name, TUTORIAL_REPO.branch);
  }

  /** The Deployment images Argo CD would render from the chart and its .argocd-source file. */
  async renderedImages(app = 'flask-app'): Promise<string[]> {
    const argoCdSource = await this.file(`${TUTORIAL_APP_PATH}/.argocd-source-${app}.yaml`);
    const manifests = await renderArgoCdApp({
      files: flaskAppChart(this.stack.registryHost),
      releaseName: app,
      ...(argoCdSource ? { argoCdSource } : {}),
    });
    return deploymentImages(manifests);
  }

  close() {
    return this.stack.close();
  }
}
