import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { FakeEcrServer } from '@ecr-image-updater/local/ecr/fake-ecr-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const HUB = '123456789012';
const SPOKE = '210987654321';
let ecr: FakeEcrServer;
beforeAll(async () => {
  ecr = await FakeEcrServer.start({ accountId: HUB, region: 'us-west-2' });
  ecr.pushImage({ repository: 'app', tag: '1.0.0', registryId: SPOKE });
});
afterAll(() => ecr.close());

const as = (accessKeyId: string) =>
  new ECRClient({
    endpoint: ecr.url,
    region: 'us-west-2',
    credentials: { accessKeyId, secretAccessKey: 's' },
  });
const describeSpoke = async (client: ECRClient) =>
  (
    await client.send(new DescribeImagesCommand({ registryId: SPOKE, repositoryName: 'app' }))
  ).imageDetails?.flatMap((detail) => detail.imageTags ?? []);

describe('FakeEcrServer checking the caller account', () => {
  it('serves any registry to any key until told whose keys are whose', async () => {
    expect(await describeSpoke(as('local'))).toEqual(['1.0.0']);
  });

  it("denies a call on another account's registry, and serves that account's own keys", async () => {
    ecr.checkCallerAccounts((key) => (key === 'SPOKEKEY' ? SPOKE : undefined));
    await expect(describeSpoke(as('local'))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: `User: arn:aws:sts::${HUB}:assumed-role/local-caller/local is not authorized to perform: ecr:DescribeImages on resource: arn:aws:ecr:us-west-2:${SPOKE}:repository/app because no resource-based policy allows the ecr:DescribeImages action`,
      $metadata: { httpStatusCode: 403 },
    });
    expect(await describeSpoke(as('SPOKEKEY'))).toEqual(['1.0.0']);
  });
});
