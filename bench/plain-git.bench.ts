/**
 * A write to a plain git host as the function makes it: a shallow fetch of one branch (depth 1) into
 * memory, a read of the files, one commit pushed. Against `git http-backend` on loopback (the local
 * peer), for GitOps repositories of growing size: the time of each step (median of the runs) and the
 * memory it holds (the fetched pack, and the heap growth of one write). Figures only. Run with
 * `npm run bench:plain-git` (`-- --runs=N`).
 */
import { availableParallelism } from 'node:os';
import { IsomorphicGitConnector } from '../lib/adapters/isomorphic-git-connector.ts';
import type { IsomorphicGitRepository } from '../lib/adapters/isomorphic-git-repository.ts';
import { FakeGitHttpServer } from '../local/src/git-http/fake-git-http-server.ts';

const runsArg = process.argv.find((arg) => arg.startsWith('--runs='));
const RUNS = Math.max(3, Number(runsArg?.slice('--runs='.length) ?? 7) || 7);
const SIZES = [10, 200, 2_000];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const values = (app: number, tag: string) =>
  `# app ${app}\nreplicaCount: 2\nimage:\n  repository: 123456789012.dkr.ecr.us-west-2.amazonaws.com/app-${app}\n  tag: ${tag}\n${'# padding to a realistic values file\n'.repeat(20)}`;

const server = await FakeGitHttpServer.start({ users: { bench: 'bench' } });
try {
  const connector = new IsomorphicGitConnector({
    secrets: { get: async () => '{"username":"bench","password":"bench"}' },
  });
  console.log(
    `Plain git write on git http-backend over loopback, node ${process.version}, ${availableParallelism()} CPUs, median of ${RUNS} runs\n`,
  );
  const widths = [8, 12, 12, 12, 12, 14];
  const row = (cells: string[]) =>
    console.log(cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' '));
  row(['files', 'repo KiB', 'fetch ms', 'commit ms', 'held KiB', 'heap +KiB']);
  for (const size of SIZES) {
    const path = `bench/gitops-${size}`;
    const files = Object.fromEntries(
      Array.from({ length: size }, (_, i) => [`apps/app-${i}/values.yaml`, values(i, '1.0.0')]),
    );
    await server.repositories.create(path, files);
    const bytes = Object.values(files).reduce((sum, text) => sum + Buffer.byteLength(text), 0);
    const fetches: number[] = [];
    const commits: number[] = [];
    const held: number[] = [];
    const heap: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const repository = await connector.connect(
        { name: 'bench', url: server.url, secret: 'bench', repositories: ['*/*'], requireConsent: false },
        { owner: 'bench', name: `gitops-${size}` },
      );
      globalThis.gc?.();
      const heapBefore = process.memoryUsage().heapUsed;
      const start = performance.now();
      const snapshot = await repository.readFilesAtHead(
        { owner: 'bench', name: `gitops-${size}`, branch: 'main' },
        [],
      );
      await snapshot.read('apps/app-0/values.yaml');
      const fetched = performance.now();
      await repository.commitOnBranch(
        { owner: 'bench', name: `gitops-${size}`, branch: 'main' },
        snapshot.head,
        new Map([['apps/app-0/values.yaml', values(0, `1.0.${run + 1}`)]]),
        `Update app-0 to 1.0.${run + 1}`,
      );
      commits.push(performance.now() - fetched);
      fetches.push(fetched - start);
      heap.push((process.memoryUsage().heapUsed - heapBefore) / 1024);
      held.push((repository as IsomorphicGitRepository).heldBytes() / 1024);
    }
    row([
      String(size),
      (bytes / 1024).toFixed(0),
      median(fetches).toFixed(1),
      median(commits).toFixed(1),
      median(held).toFixed(0),
      median(heap).toFixed(0),
    ]);
  }
  console.log(
    '\nfetch: a shallow fetch of main (depth 1) into memory and one file read; commit: the commit written and pushed;',
  );
  console.log('held: the bytes the in-memory file system holds after the write (pack, index, our objects);');
  console.log('heap: heap growth over one write (run with node --expose-gc for a steady figure).');
} finally {
  await server.close();
}
