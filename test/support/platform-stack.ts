/**
 * A platform team's own stack with the updater inside, as the README shows (stack `Platform`, construct
 * `Updater`, so logical IDs start with `Updater`), synthesized with cdk-nag (./synth.ts).
 */
import { Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { ImageUpdater, type ImageUpdaterProps } from '../../infra/image-updater.ts';
import type { ImageUpdaterConnections } from '../../infra/image-updater-connections.ts';
import { WatchedRepositories } from '../../infra/watched-repositories.ts';
import { type Synthesized, synthesize } from './synth.ts';

export const PLATFORM_ENV = { account: '123456789012', region: 'us-west-2' };

export function platformStack(
  props: (stack: Stack) => ImageUpdaterProps,
): Synthesized<Stack> & { readonly updater: ImageUpdater } {
  let updater: ImageUpdater | undefined;
  const synthesized = synthesize((app) => {
    const stack = new Stack(app, 'Platform', { env: PLATFORM_ENV });
    updater = new ImageUpdater(stack, 'Updater', props(stack));
    return stack;
  });
  return { ...synthesized, updater: updater! };
}

/** The platform's GitHub connection `gitops` to acme/gitops, its secret imported by name. */
export function gitopsConnection(stack: Stack): NonNullable<ImageUpdaterConnections['github']> {
  return {
    gitops: {
      secret: secretsmanager.Secret.fromSecretNameV2(stack, 'GitHub', 'ecr-image-updater/github'),
      repositories: ['acme/gitops'],
    },
  };
}

/** The updater watching `flask-app` and the `platform/` prefix, with the `gitops` connection, and `props`. */
export function updaterStack(props: (stack: Stack) => Partial<ImageUpdaterProps> = () => ({})) {
  return platformStack((stack) => ({
    repositories: WatchedRepositories.of({ names: ['flask-app'], prefixes: ['platform/'] }),
    connections: { github: gitopsConnection(stack) },
    ...props(stack),
  }));
}
