import { describe, expect, it } from 'vitest';
import { TagSource, targetChooser } from '../../../lib/app/choose-targets.ts';
import type { DetailNeeds, ImageCatalog, RepositoryRef } from '../../../lib/app/ports.ts';
import { parseRegistration } from '../../../lib/domain/registration/registration.ts';
import type { TagCandidate } from '../../../lib/domain/tags/tag-candidate.ts';
import { ECR_HOST, flaskApp } from '../../fixtures/registrations.ts';

/** An in-memory catalog that counts what it is asked: the port's contract, not a mock of the SDK. */
class CountingCatalog implements ImageCatalog {
  lists = 0;
  details: DetailNeeds[] = [];
  constructor(private readonly tags: TagCandidate[]) {}
  async listTags(_repository: RepositoryRef) {
    this.lists++;
    return this.tags;
  }
  async addDetails(_repository: RepositoryRef, candidates: readonly TagCandidate[], needs: DetailNeeds) {
    this.details.push(needs);
    return candidates.map((c) => ({ ...c, platforms: ['linux/amd64'] }));
  }
}

const repository = { accountId: '123456789012', region: 'us-west-2', repository: 'flask-app' };
const images = (list: unknown[]) => parseRegistration({ ...structuredClone(flaskApp), images: list }).images;

describe('targetChooser', () => {
  it('reads the tags once per attempt, shared by every chooser, and manifest details only when needed', async () => {
    const catalog = new CountingCatalog([{ tag: '1.0.0' }, { tag: '1.0.4' }, { tag: '2.0.0' }]);
    const tags = new TagSource(catalog, repository);
    const plain = targetChooser(images([{ image: `${ECR_HOST}/flask-app:~1.0` }]), tags);
    const filtered = targetChooser(
      images([{ image: `${ECR_HOST}/flask-app`, platforms: ['linux/amd64'] }]),
      tags,
    );
    expect((await plain(1)).targets.map((t) => t.tag)).toEqual(['1.0.4']);
    expect((await filtered(1)).targets.map((t) => t.tag)).toEqual(['2.0.0']);
    await plain(1);
    expect(catalog.lists).toBe(1);
    expect(catalog.details).toEqual([{ platforms: true, createdAt: false }]);
    await plain(2);
    expect(catalog.lists).toBe(2);
  });

  it('judges the tags once per distinct policy and attempt, whatever the number of apps that share it', async () => {
    const catalog = new CountingCatalog([{ tag: '1.0.0' }, { tag: '1.0.4' }, { tag: '2.0.0' }]);
    const tags = new TagSource(catalog, repository);
    const [one] = images([{ image: `${ECR_HOST}/flask-app:~1.0` }]);
    const [other] = images([{ image: `${ECR_HOST}/flask-app:~1.0` }]);
    const [wider] = images([{ image: `${ECR_HOST}/flask-app:>=1.0` }]);
    expect(other!.policy).toBe(one!.policy);
    const first = tags.select(one!.policy, 1);
    expect(tags.select(other!.policy, 1)).toBe(first);
    expect(tags.select(wider!.policy, 1)).not.toBe(first);
    expect(tags.select(one!.policy, 2)).not.toBe(first);
    expect(await first).toMatchObject({ kind: 'selected', candidate: { tag: '1.0.4' } });
    expect(await tags.select(wider!.policy, 1)).toMatchObject({ candidate: { tag: '2.0.0' } });
    expect(catalog.lists).toBe(2);
  });

  it('answers why an image has no target', async () => {
    const choose = targetChooser(
      images([{ image: `${ECR_HOST}/flask-app:~3.0` }]),
      new TagSource(new CountingCatalog([{ tag: '1.0.0' }]), repository),
    );
    expect(await choose(1)).toEqual({
      targets: [],
      none: [
        { image: `${ECR_HOST}/flask-app`, kind: 'none', reason: "no version among 1 tag satisfies '~3.0'" },
      ],
      explained: new Map([
        [
          `${ECR_HOST}/flask-app`,
          {
            considered: 1,
            kept: 0,
            skipped: [{ reason: expect.stringContaining('~3.0'), count: 1, examples: ['1.0.0'] }],
          },
        ],
      ]),
    });
  });
});
