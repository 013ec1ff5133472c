import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../../lib/domain/errors.ts';
import { parseCandidates } from '../../../../lib/domain/tags/parse-candidates.ts';
import { invalidCandidateFiles } from '../../../fixtures/selection-cases.ts';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('parseCandidates', () => {
  it('reads our array form, turning times into epoch milliseconds', () => {
    expect(
      parseCandidates([
        { tag: '1.0.0', digest: DIGEST, pushedAt: '2026-11-16T01:54:34Z', platforms: ['linux/amd64'] },
        { tag: 'dev' },
      ]),
    ).toEqual([
      {
        tag: '1.0.0',
        digest: DIGEST,
        pushedAt: Date.UTC(2026, 10, 16, 1, 54, 34),
        platforms: ['linux/amd64'],
      },
      { tag: 'dev' },
    ]);
  });

  it('reads the output of aws ecr describe-images, one candidate per tag', () => {
    const output = {
      imageDetails: [
        {
          imageDigest: DIGEST,
          imageTags: ['1.0.2', 'stable'],
          imagePushedAt: '2026-11-16T01:54:34.000000+00:00',
        },
        { imageDigest: DIGEST.replace('ab', 'cd'), imagePushedAt: 1_790_000_000 },
      ],
    };
    expect(parseCandidates(output)).toEqual([
      { tag: '1.0.2', digest: DIGEST, pushedAt: Date.UTC(2026, 10, 16, 1, 54, 34) },
      { tag: 'stable', digest: DIGEST, pushedAt: Date.UTC(2026, 10, 16, 1, 54, 34) },
    ]);
  });

  it.each(invalidCandidateFiles)('rejects %s', (_name, content, message) => {
    const attempt = () =>
      parseCandidates(JSON.parse(content.startsWith('<') ? '"html"' : content), '--candidates');
    expect(attempt).toThrow(InvalidInputError);
    if (!content.startsWith('<')) expect(attempt).toThrow(message);
  });
});
