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

  it('reads what tells an artifact from an image, in both forms', () => {
    const helm = 'application/vnd.cncf.helm.config.v1+json';
    const subject = DIGEST.replace('ab', 'ef');
    expect(
      parseCandidates({
        imageDetails: [
          { imageDigest: DIGEST, imageTags: ['0.1.0'], artifactMediaType: helm },
          { imageTags: ['sig'], subjectManifestDigest: subject },
        ],
      }),
    ).toEqual([
      { tag: '0.1.0', digest: DIGEST, artifactMediaType: helm },
      { tag: 'sig', subjectDigest: subject },
    ]);
    expect(parseCandidates([{ tag: '0.1.0', artifactMediaType: helm, subjectDigest: subject }])).toEqual([
      { tag: '0.1.0', artifactMediaType: helm, subjectDigest: subject },
    ]);
  });

  it('names the field of a bad artifact media type or subject', () => {
    expect(() => parseCandidates([{ tag: 'a', artifactMediaType: 7 }])).toThrow(
      'candidates[0].artifactMediaType: expected a media type, got 7',
    );
    expect(() =>
      parseCandidates({ imageDetails: [{ imageTags: ['a'], subjectManifestDigest: 'x' }] }),
    ).toThrow('candidates.imageDetails[0].subjectManifestDigest');
  });

  it.each(invalidCandidateFiles)('rejects %s', (_name, content, message) => {
    const attempt = () =>
      parseCandidates(JSON.parse(content.startsWith('<') ? '"html"' : content), '--candidates');
    expect(attempt).toThrow(InvalidInputError);
    if (!content.startsWith('<')) expect(attempt).toThrow(message);
  });
});
