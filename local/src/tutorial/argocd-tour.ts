import { MemoryLogger } from 'ecr-image-updater/lib/adapters/memory-logger';
import { registerApps } from 'ecr-image-updater/lib/app/register-app';
import {
  ALLOW_IMAGES_ANNOTATION,
  checkApplicationConsent,
} from 'ecr-image-updater/lib/domain/consent/application-consent';
import { registrationsFromApplications } from 'ecr-image-updater/lib/domain/migration/registrations-from-applications';
import { describeRegistration } from 'ecr-image-updater/lib/domain/registration/describe-registration';
import { stringify } from 'yaml';
import type { LocalStack } from '../local-stack.ts';
import { canRunLayerBinaries } from '../render/kubectl-layer-binaries.ts';
import { deploymentImages, renderArgoCdApp } from '../render/render-argocd-app.ts';
import { flaskAppApplication } from './flask-app-application.ts';
import { flaskAppChart } from './flask-app-chart.ts';
import { pushThrough } from './push-through.ts';
import type { TutorialOutput } from './tutorial-output.ts';

export async function argoCdTour(
  stack: LocalStack,
  out: TutorialOutput,
): Promise<{ tag: string | undefined; images: string[] }> {
  const manifest = flaskAppApplication();
  const name = manifest.metadata.name;
  stack.argocd.putApplication(manifest);
  out.heading(
    `The seed's own way, on fresh peers: Argo CD (${stack.argocd.url}) holds the Application ${name}`,
  );
  const image = `${stack.registryHost}/flask-app`;
  const consent = checkApplicationConsent(stack.argocd.application(name), [image]);
  out.indented(
    consent.kind === 'consented'
      ? `${ALLOW_IMAGES_ANNOTATION}: ${manifest.metadata.annotations?.[ALLOW_IMAGES_ANNOTATION]} (its owners' consent to that image being written into it)`
      : `not allowed: ${consent.reason}`,
  );
  out.indented('$ ecr-image-updater apps import examples/argocd-application.yaml --account 123456789012');
  const { applications, warnings } = registrationsFromApplications([manifest], { account: stack.accountId });
  for (const { registration, stored, notes } of await registerApps(
    stack.registry(),
    applications.map((a) => a.document),
  )) {
    out.indented(describeRegistration(registration, stored.revision, stored.paused));
    for (const note of notes) out.indented(`note: ${note}`, 5);
  }
  for (const warning of [...warnings, ...applications.flatMap((a) => a.warnings)])
    out.indented(`warning: ${warning}`, 5);

  const logger = new MemoryLogger();
  out.heading('docker push flask-app:1.0.0, then flask-app:1.0.2: newest-build takes the last pushed');
  await pushThrough(stack, logger, out, '1.0.0');
  await pushThrough(stack, logger, out, '1.0.2');

  const application = stack.argocd.application(name);
  const parameters = application?.spec.source?.helm?.parameters ?? [];
  out.heading('What Argo CD holds now');
  out.indented(
    `Application ${name}, spec.source.helm.parameters (set with JSON patches that test what they read):\n${stringify(parameters, { indentSeq: false })}`,
  );
  let images: string[] = [];
  if (canRunLayerBinaries()) {
    const argoCdSource = stringify({
      helm: {
        parameters: parameters.map((p) => ({
          name: p.name,
          value: p.value,
          forcestring: p.forceString ?? false,
        })),
      },
    });
    images = deploymentImages(
      await renderArgoCdApp({
        files: flaskAppChart(stack.registryHost),
        releaseName: name,
        argoCdSource,
      }),
    );
    out.indented(`$ helm template ${name} flask-app/ --set-string <the Application’s Helm parameters>`);
    for (const rendered of images) out.indented(`Deployment ${name}, container flask-app: image ${rendered}`);
  }
  return { tag: parameters.find((p) => p.name === 'image.tag')?.value, images };
}
