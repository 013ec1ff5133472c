import { describe, expect, it } from 'vitest';
import { artifactReason } from '../../../../lib/domain/tags/artifact-reason.ts';
import { selectTag } from '../../../../lib/domain/tags/select-tag.ts';
import { buildTagPolicy } from '../../../../lib/domain/tags/tag-policy.ts';

const HEX = 'ab'.repeat(32);
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';

describe('artifactReason', () => {
  it.each([
    [
      `sha256-${HEX}.sig`,
      OCI_CONFIG,
      'an artifact, not an image: a cosign signature tag (sha256-<digest>.sig)',
    ],
    [
      `sha256-${HEX}.att`,
      undefined,
      'an artifact, not an image: a cosign attestation tag (sha256-<digest>.att)',
    ],
    [`sha256-${HEX}.sbom`, undefined, 'an artifact, not an image: a cosign SBOM tag (sha256-<digest>.sbom)'],
    [
      '0.1.0',
      'application/vnd.cncf.helm.config.v1+json',
      'an artifact, not an image: a Helm chart, artifact media type application/vnd.cncf.helm.config.v1+json',
    ],
    [
      'v1',
      'application/vnd.example.thing.v1+json',
      'an artifact, not an image: artifact media type application/vnd.example.thing.v1+json',
    ],
  ])('drops %s (%s)', (tag, artifactMediaType, reason) => {
    expect(artifactReason({ tag, ...(artifactMediaType ? { artifactMediaType } : {}) })).toBe(reason);
  });

  it('drops an OCI 1.1 referrer, whatever its media type', () => {
    expect(
      artifactReason({ tag: 'sig', artifactMediaType: OCI_CONFIG, subjectDigest: `sha256:${HEX}` }),
    ).toBe('an artifact, not an image: an OCI referrer (it names a subject manifest)');
  });

  it.each([
    ['1.0.0', OCI_CONFIG],
    ['1.0.0', 'application/vnd.docker.container.image.v1+json'],
    ['1.0.0', 'application/vnd.oci.image.index.v1+json'],
    ['1.0.0', 'application/vnd.docker.distribution.manifest.list.v2+json'],
    ['1.0.0', undefined],
    // Not cosign's convention: a short or upper-case digest, another suffix, another algorithm.
    [`sha256-${HEX.slice(2)}.sig`, undefined],
    [`sha256-${HEX.toUpperCase()}.sig`, undefined],
    [`sha256-${HEX}.sig2`, undefined],
    [`sha512-${HEX}.sig`, undefined],
  ])('keeps %s (%s) as an image', (tag, artifactMediaType) => {
    expect(artifactReason({ tag, ...(artifactMediaType ? { artifactMediaType } : {}) })).toBeUndefined();
  });
});

describe('selection with artifacts in the repository', () => {
  it('newest-build stays on the image when a signature is pushed after it, and says why', () => {
    const policy = buildTagPolicy({ strategy: 'newest-build' });
    const selection = selectTag(policy, [
      { tag: '1.0.0', pushedAt: 1, artifactMediaType: OCI_CONFIG },
      { tag: `sha256-${HEX}.sig`, pushedAt: 2, artifactMediaType: OCI_CONFIG },
    ]);
    expect(selection.kind === 'selected' && selection.candidate.tag).toBe('1.0.0');
    expect(selection.verdicts[1]).toEqual({
      tag: `sha256-${HEX}.sig`,
      kept: false,
      reason: 'an artifact, not an image: a cosign signature tag (sha256-<digest>.sig)',
    });
  });

  it('semver does not take a Helm chart whose version is higher', () => {
    const selection = selectTag(buildTagPolicy({}), [
      { tag: '1.0.0', artifactMediaType: OCI_CONFIG },
      { tag: '9.0.0', artifactMediaType: 'application/vnd.cncf.helm.config.v1+json' },
    ]);
    expect(selection.kind === 'selected' && selection.candidate.tag).toBe('1.0.0');
  });

  it('answers none when the repository holds only artifacts, saying so', () => {
    const selection = selectTag(buildTagPolicy({ strategy: 'newest-build' }), [
      { tag: `sha256-${HEX}.sig`, pushedAt: 2 },
      { tag: `sha256-${HEX}.att`, pushedAt: 3 },
    ]);
    expect(selection).toMatchObject({
      kind: 'none',
      reason: "the repository's 2 tags are artifacts (signatures, charts, ...), not images",
    });
  });

  it('counts only images when no image passes the filters', () => {
    const selection = selectTag(buildTagPolicy({ allowTags: 'regexp:^release-' }), [
      { tag: '1.0.0' },
      { tag: `sha256-${HEX}.sig` },
    ]);
    expect(selection).toMatchObject({
      kind: 'none',
      reason: 'none of the 1 tags passes allow-tags regexp:^release-',
    });
  });
});
