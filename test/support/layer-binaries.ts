/**
 * The guard the tutorial asks before it renders: the helm and kubectl of the kubectl layer's npm package
 * are linux-x64 builds. Tests that run them run only where they can, and elsewhere are skipped with the
 * reason in their title, as the tutorial skips its rendering and says why.
 */
import { canRunLayerBinaries } from '@ecr-image-updater/local/render/kubectl-layer-binaries';
import { describe, it } from 'vitest';

/** Whether the kubectl layer's helm and kubectl run on this machine. */
export const layerBinariesRun = canRunLayerBinaries();

/** `describe` for suites that run the binaries: skipped where they cannot run. */
export const describeWithLayerBinaries = describe.runIf(layerBinariesRun);

/** `it` for tests that run the binaries: skipped where they cannot run. */
export const itWithLayerBinaries = it.runIf(layerBinariesRun);

/** The title of a test that runs the binaries, saying why it is skipped where they cannot run. */
export function needsLayerBinaries(title: string): string {
  if (layerBinariesRun) return title;
  return `${title} (skipped: the kubectl layer's helm and kubectl are linux-x64, this machine is ${process.platform}-${process.arch})`;
}
