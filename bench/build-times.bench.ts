/**
 * What `sortBy: created` costs: the ECR calls and the time to read the build times of 10 and 250 tags,
 * pushed as plain manifests (`--provenance=false`) and as buildx pushes them by default (an index over
 * the image and its provenance attestation), against the local ECR with a fixed delay added to every
 * call (default 50 ms; BENCH_DELAY_MS to change it). An index costs one more BatchGetImage per 100
 * tags, for its images' manifests, and one more round trip in sequence. Run with
 * `npm run bench:build-times`.
 */
import { ECRClient } from '@aws-sdk/client-ecr';
import { FakeEcrServer } from '@ecr-image-updater/local/ecr/fake-ecr-server';
import { EcrImageCatalog } from '../lib/adapters/ecr-image-catalog.ts';

// Pinned SDK versions; its notice about releases that will need Node 22 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const DELAY_MS = Number(process.env.BENCH_DELAY_MS ?? 50);
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

const ecr = await FakeEcrServer.start({ region: 'us-west-2' });
console.log(`Build times for sortBy: created, ${DELAY_MS} ms added to every ECR call\n`);
console.log('tags  pushed as       BatchGetImage  GetDownloadUrlForLayer  build times  time ms');
console.log('----  --------------  -------------  ----------------------  -----------  -------');
try {
  for (const tags of [10, 250]) {
    for (const provenance of [false, true]) {
      const repository = `bench/${tags}-${provenance ? 'buildx' : 'plain'}`;
      for (let i = 0; i < tags; i++) {
        ecr.pushImage({ repository, tag: `1.0.${i}`, created: Date.UTC(2026, 0, 1) + i, provenance });
      }
      // A fresh catalog: a cold start, nothing cached.
      const catalog = new EcrImageCatalog({
        clientFor: (region) => new ECRClient({ endpoint: ecr.url, region, credentials }),
      });
      const ref = { accountId: ecr.accountId, region: 'us-west-2', repository };
      const candidates = await catalog.listTags(ref);
      ecr.clearCalls();
      ecr.latencyMs = DELAY_MS;
      const started = performance.now();
      const detailed = await catalog.addDetails(ref, candidates, { platforms: false, createdAt: true });
      const ms = performance.now() - started;
      ecr.latencyMs = 0;
      const found = detailed.filter((candidate) => candidate.createdAt !== undefined).length;
      console.log(
        [
          String(tags).padStart(4),
          (provenance ? 'buildx index' : 'plain manifest').padEnd(14),
          String(ecr.callCount('BatchGetImage')).padStart(13),
          String(ecr.callCount('GetDownloadUrlForLayer')).padStart(22),
          `${found}/${tags}`.padStart(11),
          ms.toFixed(0).padStart(7),
        ].join('  '),
      );
    }
  }
} finally {
  await ecr.close();
}
