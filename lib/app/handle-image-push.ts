/**
 * The main job: an ECR push (or the completed scan of a pushed image) reaches the apps that follow the
 * repository. The registry query and the
 * check for an earlier delivery of the same event run together; then the apps are brought to the tags
 * their strategies allow (see update-apps). Each decision is recorded; the event is marked handled
 * once nothing is left that a retry could fix, so a second delivery does nothing.
 */
import { parseEcrEvent } from '../domain/events/ecr-event.ts';
import { accountAccess, type SpokeAccounts } from '../domain/events/spoke-accounts.ts';
import { watchKey } from '../domain/registration/registration.ts';
import { type PushOutcome, retryableFailures } from './outcomes.ts';
import { type UpdateDependencies, updateApps } from './update-apps.ts';

export type ImagePushDependencies = UpdateDependencies & {
  /** A hub's spokes: an event from an account (or region) not among them is ignored. */
  readonly spokes?: SpokeAccounts;
};

export async function handleImagePush(deps: ImagePushDependencies, event: unknown): Promise<PushOutcome> {
  const push = parseEcrEvent(event);
  if (push.kind === 'ignored') {
    deps.logger.info('event ignored', { eventId: push.id, code: push.code, reason: push.reason });
    return push;
  }
  const access = accountAccess(deps.spokes, push);
  if (access.kind === 'unlisted') {
    // The hub's rule admits only its spokes; this is the function's own check, should the rule change.
    deps.logger.warn('event ignored', { eventId: push.id, code: 'unlisted-account', reason: access.reason });
    return { kind: 'ignored', id: push.id, code: 'unlisted-account', reason: access.reason };
  }
  const receivedAt = deps.clock.now();
  const key = watchKey({ accountId: push.accountId, region: push.region }, push.repository);
  const [stored, earlier] = await Promise.all([
    deps.registry.watchersOf(key),
    push.id === '' ? undefined : deps.audit.handled(push.id),
  ]);
  if (earlier) {
    const reason = `a repeated delivery of event ${push.id}, handled at ${new Date(earlier.handledAt).toISOString()}`;
    deps.logger.info('event ignored', { eventId: push.id, code: 'duplicate', reason });
    return { kind: 'ignored', id: push.id, code: 'duplicate', reason };
  }
  if (stored.length === 0) {
    deps.logger.info('no app follows the repository', { eventId: push.id, repository: key, tag: push.tag });
    return { kind: 'handled', push, apps: [], tagsRead: 0 };
  }
  const { apps, decisions, ...read } = await updateApps(deps, {
    repository: { accountId: push.accountId, region: push.region, repository: push.repository },
    apps: stored,
    trigger: {
      kind: 'push',
      eventId: push.id,
      tag: push.tag,
      digest: push.digest,
      time: push.time,
      ...(push.scan ? { scan: push.scan } : {}),
    },
    receivedAt,
  });
  const retryLeft = retryableFailures(apps).length > 0;
  await deps.audit.record({
    ...(retryLeft || push.id === ''
      ? {}
      : {
          event: {
            id: push.id,
            handledAt: deps.clock.now(),
            apps: apps.map((app) => ({ app: app.app, outcome: app.kind })),
          },
        }),
    decisions,
  });
  return { kind: 'handled', push, apps, ...read };
}
