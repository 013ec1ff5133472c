import { buildProvenanceAttestation } from '@ecr-image-updater/local/ecr/provenance-attestation';
import { describe, expect, it } from 'vitest';

const SUBJECT = `sha256:${'a'.repeat(64)}`;

describe('buildProvenanceAttestation', () => {
  const attestation = buildProvenanceAttestation(SUBJECT, 'linux/arm64', '2026-03-01T12:00:00.000Z');
  const manifest = JSON.parse(attestation.manifest.text);
  const blob = (digest: string) =>
    JSON.parse(
      Buffer.from(attestation.blobs.find((candidate) => candidate.digest === digest)?.bytes ?? []).toString(),
    );

  it('names the image manifest it is about, in the index annotations and the in-toto subject', () => {
    expect(attestation.annotations).toEqual({
      'vnd.docker.reference.digest': SUBJECT,
      'vnd.docker.reference.type': 'attestation-manifest',
    });
    const statement = blob(manifest.layers[0].digest);
    expect(manifest.layers[0]).toMatchObject({
      mediaType: 'application/vnd.in-toto+json',
      annotations: { 'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v0.2' },
    });
    expect(statement.subject[0].digest).toEqual({ sha256: 'a'.repeat(64) });
  });

  it('has a config with platform unknown/unknown and no build time', () => {
    expect(attestation.manifest.platform).toBe('unknown/unknown');
    const config = blob(manifest.config.digest);
    expect(config).toMatchObject({ os: 'unknown', architecture: 'unknown' });
    expect(config.created).toBeUndefined();
  });
});
