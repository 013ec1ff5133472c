/**
 * What `npm ci` prints on a fresh clone: what it did, and no warning. npm warns (EBADENGINE) when a
 * package it installs declares Node versions that exclude the running one, and npm 11 warns when a
 * dependency has an install script that package.json's `allowScripts` has no decision for. Both are
 * read here from the lock file npm installs from (docs/development.md says why each decision is what
 * it is).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface LockedPackage {
  readonly version?: string;
  readonly dev?: boolean;
  readonly engines?: { readonly node?: string };
  readonly hasInstallScript?: boolean;
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  readonly engines: { readonly node: string };
  readonly allowScripts?: Readonly<Record<string, boolean>>;
};
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  readonly packages: Readonly<Record<string, LockedPackage>>;
};

/** The lock's dependencies that npm placed on this machine (optional ones for other platforms are not). */
const installed = Object.entries(lock.packages)
  .filter(([path]) => path.includes('node_modules/') && existsSync(join(ROOT, path)))
  .map(([path, locked]) => ({
    name: path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length),
    ...locked,
  }));

const named = (p: { name: string; version?: string; engines?: { node?: string } }) =>
  `${p.name}@${p.version} (node ${p.engines?.node})`;

describe('npm ci on a fresh clone', () => {
  it('installs no package that refuses the Node it runs on', () => {
    const refusing = installed.filter(
      (p) => p.engines?.node && !semver.satisfies(process.version, p.engines.node),
    );
    expect(refusing.map(named)).toEqual([]);
  });

  it("installs nothing the product runs on that refuses the oldest Node package.json's engines admit", () => {
    const oldest = semver.minVersion(manifest.engines.node)!;
    const refusing = installed.filter(
      (p) => !p.dev && p.engines?.node && !semver.satisfies(oldest, p.engines.node),
    );
    expect(refusing.map(named)).toEqual([]);
  });

  it('finds a decision in allowScripts for every dependency with an install script', () => {
    const decided = new Set(
      Object.keys(manifest.allowScripts ?? {}).map((key) => key.replace(/(?<=.)@.*$/, '')),
    );
    const undecided = installed.filter((p) => p.hasInstallScript && !decided.has(p.name));
    expect(undecided.map((p) => `${p.name}@${p.version}`)).toEqual([]);
  });
});
