import { readFileSync } from 'node:fs';
import { ecrPushEvents, ecrScanEvent } from '@ecr-image-updater/local/ecr-push-events';
import { describe, expect, it } from 'vitest';
import { parseEcrEvent } from '../../../lib/domain/events/ecr-event.ts';

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const context = {
  accountId: '123456789012',
  region: 'us-west-2',
  repository: 'platform/api',
  tag: 'v2.3.0',
  time: new Date(Date.UTC(2026, 10, 16, 2, 10, 5, 123)),
  newId: () => 'id',
};

describe('ecrPushEvents', () => {
  it('emits the untagged children of an index first and the tagged index last, as ECR does', () => {
    const events = ecrPushEvents(
      {
        digest: digest('1'),
        manifestMediaType: 'application/vnd.oci.image.index.v1+json',
        artifactMediaType: 'application/vnd.oci.image.index.v1+json',
        children: [
          {
            digest: digest('2'),
            platform: 'linux/amd64',
            manifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
            artifactMediaType: 'application/vnd.oci.image.config.v1+json',
          },
        ],
      },
      context,
    );
    expect(events.map((e) => [e.detail['image-digest'], e.detail['image-tag']])).toEqual([
      [digest('2'), undefined],
      [digest('1'), 'v2.3.0'],
    ]);
    expect(events[1]).toMatchObject({
      source: 'aws.ecr',
      'detail-type': 'ECR Image Action',
      time: '2026-11-16T02:10:05Z',
      detail: { result: 'SUCCESS', 'action-type': 'PUSH' },
    });
  });

  it('builds events the handler reads as the samples ECR sends', () => {
    const [event] = ecrPushEvents(
      { digest: digest('3'), manifestMediaType: 'm', artifactMediaType: 'a', children: [] },
      context,
    );
    expect(parseEcrEvent(event)).toMatchObject({
      kind: 'push',
      repository: 'platform/api',
      tag: 'v2.3.0',
      digest: digest('3'),
    });
  });
});

describe('ecrScanEvent', () => {
  it('has the shape of the sample ECR scan event, and reads as a trigger for its first tag', () => {
    const sample = JSON.parse(
      readFileSync(new URL('../../fixtures/ecr-events/scan-complete.json', import.meta.url), 'utf8'),
    );
    const event = ecrScanEvent(
      { digest: digest('3'), tags: ['v2.3.0'], status: 'COMPLETE', findings: { HIGH: 1 } },
      context,
    );
    expect(Object.keys(event).sort()).toEqual(Object.keys(sample).sort());
    expect(Object.keys(event.detail).sort()).toEqual(Object.keys(sample.detail).sort());
    expect(event.resources).toEqual(['arn:aws:ecr:us-west-2:123456789012:repository/platform/api']);
    expect(parseEcrEvent(event)).toMatchObject({
      kind: 'push',
      repository: 'platform/api',
      tag: 'v2.3.0',
      digest: digest('3'),
      scan: 'basic',
    });
  });
});
