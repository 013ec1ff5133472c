/**
 * What a user installs: `npm pack` of the product (goal: a tarball under 2 MB) and the runtime
 * dependencies it declares (goal: none of the local peers' packages, no TypeScript loader). Packs what
 * `npm run build` made. Run with `npm run bench`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NOT_AT_RUN_TIME, packProduct } from '../test/support/packed-product.ts';

const GOAL_BYTES = 2_000_000;

const dir = mkdtempSync(join(tmpdir(), 'package-bench-'));
try {
  const packed = packProduct(dir);
  const runtime = Object.keys(packed.manifest.dependencies ?? {});
  const forbidden = runtime.filter((name) => NOT_AT_RUN_TIME.includes(name));
  const fn = packed.files.filter((f) => f.startsWith('dist/function/')).length;
  console.log('The packed product (npm pack)\n');
  console.log(
    `tarball            ${packed.bytes.toLocaleString('en-US')} bytes (goal < ${GOAL_BYTES.toLocaleString('en-US')}: ${packed.bytes < GOAL_BYTES ? 'met' : 'MISSED'})`,
  );
  console.log(`files              ${packed.files.length} (${fn} of them the prebuilt function)`);
  console.log(`runtime deps       ${runtime.join(', ')}`);
  console.log(
    `peer deps          ${Object.keys(packed.manifest.peerDependencies ?? {}).join(', ')} (optional: the construct's)`,
  );
  console.log(
    `local-only deps    ${forbidden.length === 0 ? 'none (goal met)' : `${forbidden.join(', ')} (MISSED)`}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
