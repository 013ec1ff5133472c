/**
 * The seed tutorial (devopscube/argocd-image-updater), end to end on local peers with no AWS account and
 * no Docker: first through git (a commit per push, one commit for apps sharing a repository, a pull
 * request that follows newer pushes), then the seed's own way, through Argo CD. Every push goes through
 * the ECR API and the same handler the Lambda runs.
 */
import { LocalStack } from '../local-stack.ts';
import { argoCdTour } from './argocd-tour.ts';
import { gitTour } from './git-tour.ts';
import { TutorialOutput } from './tutorial-output.ts';

export interface TutorialResult {
  readonly git: { readonly images: readonly string[]; readonly commits: number; readonly pulls: number };
  readonly argocd: { readonly tag: string | undefined; readonly images: readonly string[] };
}

export async function runTutorial(write: (text: string) => void): Promise<TutorialResult> {
  const out = new TutorialOutput(write);
  out.line('ecr-image-updater: the seed tutorial, end to end on local peers (no AWS account, no Docker)');
  const git = await withStack(out, (stack) => gitTour(stack, out));
  const argocd = await withStack(out, (stack) => argoCdTour(stack, out));
  out.line();
  out.line(
    'Try it by hand: ecr-image-updater local up --env-out .local.env (keeps the peers running), then apps register and local push.',
  );
  return { git, argocd };
}

async function withStack<T>(out: TutorialOutput, run: (stack: LocalStack) => Promise<T>): Promise<T> {
  const stack = await LocalStack.start();
  try {
    out.line();
    out.line(
      `Peers: DynamoDB ${stack.dynamodb.endpoint}, ECR ${stack.ecr.url} (${stack.registryHost}), Secrets Manager ${stack.secrets.url}, GitHub ${stack.github.url}, Argo CD ${stack.argocd.url}`,
    );
    return await run(stack);
  } finally {
    await stack.close();
  }
}
