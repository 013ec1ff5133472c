/** A `docker push` in the tutorial: through the ECR API and the handler, timed and printed. */
import { handleImagePush } from 'ecr-image-updater/lib/app/handle-image-push';
import type { Logger } from 'ecr-image-updater/lib/app/ports';
import { deliverPush } from '../deliver-push.ts';
import type { LocalStack } from '../local-stack.ts';
import type { TutorialOutput } from './tutorial-output.ts';

export async function pushThrough(
  stack: LocalStack,
  logger: Logger,
  out: TutorialOutput,
  tag: string,
  platforms?: string[],
) {
  const deps = stack.dependencies(logger);
  const started = performance.now();
  const delivered = await deliverPush(stack.clients().ecr, (event) => handleImagePush(deps, event), {
    accountId: stack.accountId,
    region: stack.region,
    repository: 'flask-app',
    tag,
    // The tutorial's output shows a plain `docker push`: one event per single-platform image.
    provenance: false,
    ...(platforms ? { platforms } : {}),
  });
  out.delivered(delivered, performance.now() - started);
  return delivered;
}
