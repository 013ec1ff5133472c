/**
 * Argo CD write-back: read the Application, decide each image against its spec, and send a JSON patch
 * whose tests hold what was read (never a whole-spec PUT). When a test fails, someone changed the app:
 * read it again, choose again, retry. The tests are no compare-and-swap, though: Argo CD applies the
 * patch to the Application it read, validates for seconds, then writes the spec onto the Application
 * as it is then (`Server.Patch` -> `validateAndUpdateApp` -> `updateApp` in argo-cd's
 * server/application/application.go), so two patches validating at once both pass and the later
 * undoes the earlier. Our own writers never overlap on one Application (with a write queue, each
 * Application is a FIFO group of its own: queued-write.ts); against anyone else's, the write reads the
 * Application back and, when the spec no longer holds what it wrote, tries again like a failed test.
 *
 * Then, for an app without an automated sync policy (or always, if asked), start a sync. A sync already
 * running deploys the source it copied when it started (controller/sync.go), not our change: the sync
 * is then `pending`, and asked again once that operation has ended (the write queue hands the write
 * back; see write-queued-apps.ts). When consent is required, the Application's owners must allow every
 * image first (see application-consent.ts): without it no patch and no sync is sent.
 */

import { type ArgoCdConnection, checkArgoCdScope } from '../domain/connections/connections.ts';
import { checkApplicationConsent, consentGuard } from '../domain/consent/application-consent.ts';
import { ConflictError, WriteRefusedError } from '../domain/errors.ts';
import { ecrRegistryHost } from '../domain/images/image-spec.ts';
import type { Registration } from '../domain/registration/registration.ts';
import type { ArgoCdWriteBack } from '../domain/registration/registration-write-back.ts';
import {
  applicationScope,
  hasAutomatedSync,
  isVersionLive,
  planApplicationPatch,
  readApplicationVersion,
} from '../domain/targets/argocd-application.ts';
import { isLastSyncOfOtherSource } from '../domain/targets/argocd-sync-state.ts';
import { decideUpdate, imageChange } from '../domain/updates/decide-update.ts';
import type { ImageChange } from '../domain/updates/image-update.ts';
import type { TargetChooser } from './choose-targets.ts';
import type { AppOutcome, ImageDecisionRecord, SyncOutcome } from './outcomes.ts';
import type { ArgoCdApi, ArgoCdScope, SyncStart } from './ports.ts';
import { type RetryContext, retryOnConflict } from './retry-on-conflict.ts';

export function writeArgoCdApplication(
  app: Registration,
  argocd: ArgoCdWriteBack,
  choose: TargetChooser,
  api: ArgoCdApi,
  context: RetryContext & { readonly connection: ArgoCdConnection },
): Promise<AppOutcome> {
  const scope: ArgoCdScope = {
    ...(argocd.appNamespace ? { appNamespace: argocd.appNamespace } : {}),
    project: argocd.project,
  };
  return retryOnConflict(`Application ${app.name}`, context, async (attempt) => {
    const application = await api.getApplication(app.name, scope);
    // The project and namespace the Application really has, not what the registration says, must be the connection's.
    checkArgoCdScope(context.connection, applicationScope(application, scope));
    const { targets, none } = await choose(attempt);
    // Read on every attempt: the owners may have withdrawn consent since the last one.
    const consent = context.connection.requireConsent
      ? checkApplicationConsent(
          application,
          targets.map(({ image }) => `${ecrRegistryHost(image.registry)}/${image.repository}`),
        )
      : undefined;
    if (consent?.kind === 'refused') throw new WriteRefusedError('not-consented', consent.reason);
    const records: ImageDecisionRecord[] = [...none];
    const changes: ImageChange[] = [];
    const writes = [];
    const current: Array<{ imageName: string; version: string }> = [];
    for (const target of targets) {
      const decision = decideUpdate(target, readApplicationVersion(application, target.image, app.name));
      records.push({ image: target.image.alias ?? target.image.imageName, ...decision });
      if (decision.kind === 'current')
        current.push({ imageName: target.image.imageName, version: decision.version });
      if (decision.kind !== 'update') continue;
      writes.push({ image: target.image, version: decision.to });
      changes.push(imageChange(target, decision));
    }
    const needsSync = argocd.sync === 'always' || (argocd.sync === 'auto' && !hasAutomatedSync(application));
    if (writes.length === 0) {
      // The spec already holds the versions: a patch of ours whose sync failed, or someone else's
      // change. When Argo CD says it runs another version and syncing is ours to do, start it now.
      // So is a sync that ran (or runs) a source copied before the spec took them.
      const behind =
        current.some(({ imageName, version }) => isVersionLive(application, imageName, version) === false) ||
        (current.length > 0 && isLastSyncOfOtherSource(application));
      if (needsSync && behind)
        return {
          app: app.name,
          kind: 'unchanged',
          images: records,
          synced: pendingIfRunning(await api.syncApplication(app.name, scope)),
        };
      return { app: app.name, kind: 'unchanged', images: records };
    }
    // The patch also tests that what consent rested on is still there (Argo CD's Server.Patch applies
    // it to the whole Application, metadata included: server/application/application.go), so a
    // withdrawal between our read and our write fails it like any concurrent edit: read again, refuse.
    await api.patchApplication(app.name, scope, [
      ...(consent ? consentGuard(consent) : []),
      ...planApplicationPatch(application, writes, app.name),
    ]);
    // Read back what Argo CD holds now: a patch validated alongside ours may have written over it.
    const stored = await api.getApplication(app.name, scope);
    const lost = writes.filter(
      ({ image, version }) => readApplicationVersion(stored, image, app.name) !== version,
    );
    if (lost.length > 0)
      throw new ConflictError(
        `Argo CD: Application ${app.name} no longer holds ${lost.map((w) => `${w.image.imageName}:${w.version}`).join(', ')} after its patch: another write landed over it`,
      );
    const synced =
      argocd.sync === 'never'
        ? 'off'
        : needsSync
          ? pendingIfRunning(await api.syncApplication(app.name, scope))
          : 'not-needed';
    return {
      app: app.name,
      kind: 'updated',
      write: { kind: 'argocd', application: app.name, synced },
      changes,
      images: records,
      attempts: attempt,
    };
  });
}

/** A sync refused because another runs: that one deploys an older copy of the spec, ours waits. */
function pendingIfRunning(answer: SyncStart): SyncOutcome {
  return answer === 'running' ? 'pending' : answer;
}
