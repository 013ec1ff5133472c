/**
 * Renders an app's manifests as Argo CD would from its source path: `helm template` with the Helm
 * parameters of `.argocd-source-<app>.yaml` (`forcestring` as --set-string), or `kubectl kustomize`
 * after applying the file's Kustomize images, using the real binaries. Used by local mode to show the
 * Deployment's image, and by tests to prove what a write-back produces.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { parse, parseAllDocuments } from 'yaml';
import { layerBinary } from './kubectl-layer-binaries.ts';

const run = promisify(execFile);

export interface RenderInput {
  /** The files of the app's source path, relative to it (Chart.yaml, templates/..., kustomization.yaml). */
  readonly files: Readonly<Record<string, string>>;
  /** The text of `.argocd-source-<app>.yaml`, when the path has one. */
  readonly argoCdSource?: string;
  readonly releaseName: string;
  readonly namespace?: string;
}

export type Manifest = {
  readonly kind?: string;
  readonly metadata?: { readonly name?: string };
  readonly [key: string]: unknown;
};

/** Renders with helm when the files hold a Chart.yaml, else with kubectl kustomize. */
export async function renderArgoCdApp(input: RenderInput): Promise<Manifest[]> {
  const dir = await mkdtemp(join(tmpdir(), 'render-'));
  try {
    for (const [path, text] of Object.entries(input.files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    const source = (input.argoCdSource ? parse(input.argoCdSource) : {}) ?? {};
    const output =
      'Chart.yaml' in input.files
        ? await helmTemplate(dir, input, source)
        : await kustomizeBuild(dir, source);
    return parseAllDocuments(output)
      .map((document) => document.toJS() as Manifest)
      .filter((m) => m !== null);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The container images of every Deployment, as `name: image`. */
export function deploymentImages(manifests: readonly Manifest[]): string[] {
  return manifests
    .filter((manifest) => manifest.kind === 'Deployment')
    .flatMap((manifest) => {
      const spec = manifest.spec as
        | { template?: { spec?: { containers?: Array<{ image?: string }> } } }
        | undefined;
      return (spec?.template?.spec?.containers ?? []).map((container) => container.image ?? '');
    });
}

type SourceFile = {
  helm?: { parameters?: Array<{ name: string; value: unknown; forcestring?: boolean }> };
  kustomize?: { images?: string[] };
};

async function helmTemplate(dir: string, input: RenderInput, source: SourceFile): Promise<string> {
  const helm = await layerBinary('helm');
  const args = ['template', input.releaseName, dir, '--namespace', input.namespace ?? 'default'];
  for (const parameter of source.helm?.parameters ?? []) {
    // Helm splits --set on commas; escape them (and backslashes) in values.
    const value = String(parameter.value).replace(/\\/g, '\\\\').replace(/,/g, '\\,');
    args.push(parameter.forcestring ? '--set-string' : '--set', `${parameter.name}=${value}`);
  }
  const { stdout } = await run(helm, args, {
    maxBuffer: 32 * 1024 * 1024,
    env: { ...process.env, HELM_CACHE_HOME: join(dir, '.helm') },
  });
  return stdout;
}

async function kustomizeBuild(dir: string, source: SourceFile): Promise<string> {
  const kubectl = await layerBinary('kubectl');
  const images = source.kustomize?.images ?? [];
  if (images.length > 0) {
    // Argo CD applies the file's images with `kustomize edit set image` before building.
    const kustomization = join(dir, 'kustomization.yaml');
    const document = parse(await readFile(kustomization, 'utf8')) ?? {};
    document.images = mergeImages(document.images ?? [], images);
    await writeFile(kustomization, JSON.stringify(document));
  }
  const { stdout } = await run(kubectl, ['kustomize', dir], { maxBuffer: 32 * 1024 * 1024 });
  return stdout;
}

// What `kustomize edit set image [name=]newName:newTag[@digest]` does to the images list.
function mergeImages(
  existing: Array<Record<string, string>>,
  entries: readonly string[],
): Array<Record<string, string>> {
  const images = [...existing];
  for (const entry of entries) {
    const equals = entry.indexOf('=');
    const reference = equals === -1 ? entry : entry.slice(equals + 1);
    const at = reference.indexOf('@');
    const withoutDigest = at === -1 ? reference : reference.slice(0, at);
    const colon = withoutDigest.lastIndexOf(':');
    const hasTag = colon > withoutDigest.lastIndexOf('/');
    const newName = hasTag ? withoutDigest.slice(0, colon) : withoutDigest;
    const name = equals === -1 ? newName : entry.slice(0, equals);
    const image: Record<string, string> = { name };
    if (newName !== name) image.newName = newName;
    if (hasTag) image.newTag = withoutDigest.slice(colon + 1);
    if (at !== -1) image.digest = reference.slice(at + 1);
    const index = images.findIndex((i) => i.name === name);
    if (index === -1) images.push(image);
    else images[index] = image;
  }
  return images;
}
