/**
 * Golden write-back cases, as Flux's image-automation keeps them: one folder per case under
 * `test/fixtures/golden/<target>/`, holding `original/<file>`, `expected/<file>` (absent when the
 * editor must refuse the file), `case.json` (the images as a registration lists them, the version
 * written for each, and what the rendered Deployment must run or the refusal's words) and the rest
 * of the app's source path (a chart, or the kustomization's resources) for rendering.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRegistration } from '../../lib/domain/registration/registration.ts';
import type { VersionWrite } from '../../lib/domain/targets/argocd-source-file.ts';
import { flaskApp } from '../fixtures/registrations.ts';

export type GoldenTarget = 'helmvalues' | 'kustomization';

export interface GoldenCase {
  readonly name: string;
  readonly description: string;
  readonly file: string;
  readonly original: string;
  /** The file after the render; undefined when the editor must refuse the original. */
  readonly expected?: string;
  /** A fragment of the refusal's message. */
  readonly refuses?: string;
  readonly writes: readonly VersionWrite[];
  /** The images of the rendered Deployment's containers, in order. */
  readonly deployedImages: readonly string[];
  /** The other files of the app's source path, relative to it (Chart.yaml, templates/..., resources). */
  readonly sourceFiles: Readonly<Record<string, string>>;
}

interface CaseJson {
  description: string;
  writes: Array<{ image: unknown; version: string }>;
  deployedImages?: string[];
  refuses?: string;
}

const ROOT = fileURLToPath(new URL('../fixtures/golden/', import.meta.url));
const FILES: Record<GoldenTarget, string> = {
  helmvalues: 'values.yaml',
  kustomization: 'kustomization.yaml',
};

/** Every case of a target, sorted by name. */
export function goldenCases(target: GoldenTarget): GoldenCase[] {
  const dir = join(ROOT, target);
  const file = FILES[target];
  return readdirSync(dir)
    .sort()
    .map((name) => {
      const folder = join(dir, name);
      const json = JSON.parse(readFileSync(join(folder, 'case.json'), 'utf8')) as CaseJson;
      const images = parseRegistration({
        ...structuredClone(flaskApp),
        images: json.writes.map((write) => write.image),
      }).images;
      const expectedPath = join(folder, 'expected', file);
      return {
        name,
        description: json.description,
        file,
        original: readFileSync(join(folder, 'original', file), 'utf8'),
        ...(existsSync(expectedPath) ? { expected: readFileSync(expectedPath, 'utf8') } : {}),
        ...(json.refuses === undefined ? {} : { refuses: json.refuses }),
        writes: json.writes.map((write, index) => ({ image: images[index]!, version: write.version })),
        deployedImages: json.deployedImages ?? [],
        sourceFiles: sourceFiles(folder),
      };
    });
}

function sourceFiles(folder: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const name = relative(folder, path);
      if (entry.isDirectory()) {
        if (name !== 'original' && name !== 'expected') walk(path);
      } else if (name !== 'case.json') files[name] = readFileSync(path, 'utf8');
    }
  };
  walk(folder);
  return files;
}
