import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEcrEvent } from '../../../../lib/domain/events/ecr-event.ts';

const SAMPLES = new URL('../../../fixtures/ecr-events/', import.meta.url);
const sample = (name: string) => JSON.parse(readFileSync(new URL(name, SAMPLES), 'utf8'));

describe('parseEcrEvent', () => {
  it('reads a tagged, successful push', () => {
    expect(parseEcrEvent(sample('push-tagged.json'))).toEqual({
      kind: 'push',
      id: '4f7a1f3c-2b9e-4c51-9d1a-0c6a7e1b2d30',
      time: Date.UTC(2026, 10, 16, 1, 54, 34),
      accountId: '123456789012',
      region: 'us-west-2',
      repository: 'flask-app',
      tag: '1.0.2',
      digest: 'sha256:978f5f8049d3d0de30a7fc3892aafdfb323451bf682170d99154230ddefbe91e',
      manifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    });
  });

  it('reads the tagged index of a multi-platform push, with a repository path', () => {
    expect(parseEcrEvent(sample('push-index-tagged.json'))).toMatchObject({
      kind: 'push',
      repository: 'platform/api',
      tag: 'v2.3.0',
    });
  });

  it.each([
    ['push-untagged-child.json', 'untagged', 'untagged push (a platform manifest of an image index)'],
    ['push-failed.json', 'failed-push', "push result 'FAILURE'"],
    ['delete.json', 'not-an-image-push', "action 'DELETE' is not a push"],
    ['scan-complete.json', 'not-an-image-push', "detail-type 'ECR Image Scan' is not an image action"],
  ])('ignores %s: %s', (file, code, reason) => {
    expect(parseEcrEvent(sample(file))).toEqual({ kind: 'ignored', id: sample(file).id, code, reason });
  });

  it('reads a tag of 300 characters, the longest ECR allows, and no longer', () => {
    const tagged = sample('push-tagged.json');
    const longest = `v${'1'.repeat(299)}`;
    expect(parseEcrEvent({ ...tagged, detail: { ...tagged.detail, 'image-tag': longest } })).toMatchObject({
      kind: 'push',
      tag: longest,
    });
    expect(
      parseEcrEvent({ ...tagged, detail: { ...tagged.detail, 'image-tag': `${longest}1` } }),
    ).toMatchObject({ kind: 'ignored', code: 'malformed' });
  });

  it('has a test for every vendored sample', () => {
    expect(readdirSync(SAMPLES).sort()).toEqual([
      'delete.json',
      'push-failed.json',
      'push-index-tagged.json',
      'push-tagged.json',
      'push-untagged-child.json',
      'scan-complete.json',
    ]);
  });

  const tagged = sample('push-tagged.json');
  it.each([
    ['null', null, 'not an EventBridge event (not an object)'],
    ['a string', '{"source":"aws.ecr"}', 'not an EventBridge event (not an object)'],
    ['an array', [tagged], 'not an EventBridge event (not an object)'],
    ['another source', { ...tagged, source: 'aws.s3' }, "source 'aws.s3' is not aws.ecr"],
    ['no detail', { ...tagged, detail: undefined }, 'malformed: no detail'],
    ['a bad account', { ...tagged, account: '12345' }, "malformed: account '12345'"],
    ['a bad region', { ...tagged, region: 'mars' }, "malformed: region 'mars'"],
    [
      'a repository name ECR cannot have',
      { ...tagged, detail: { ...tagged.detail, 'repository-name': '../etc' } },
      "malformed: repository-name '../etc'",
    ],
    [
      'a tag crafted to break YAML',
      { ...tagged, detail: { ...tagged.detail, 'image-tag': '1.0\n- evil: true' } },
      "malformed: image-tag '1.0\\n- evil: true'",
    ],
    [
      'an oversized tag',
      { ...tagged, detail: { ...tagged.detail, 'image-tag': 'a'.repeat(100_000) } },
      `malformed: image-tag '${'a'.repeat(57)}...'`,
    ],
    [
      'a digest that is not one',
      { ...tagged, detail: { ...tagged.detail, 'image-digest': 'md5:abc' } },
      "malformed: image-digest 'md5:abc'",
    ],
    ['no time', { ...tagged, time: 'yesterday' }, "malformed: time 'yesterday'"],
    [
      'a source nested too deep to serialize',
      { ...tagged, source: JSON.parse(`${'['.repeat(20_000)}${']'.repeat(20_000)}`) },
      "source '[...]' is not aws.ecr",
    ],
    [
      'a tag nested too deep to serialize',
      {
        ...tagged,
        detail: {
          ...tagged.detail,
          'image-tag': JSON.parse(`${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`),
        },
      },
      "malformed: image-tag '{...}'",
    ],
  ])('ignores %s with a reason, never throwing', (_what, event, reason) => {
    const code =
      reason.startsWith('malformed') || reason.startsWith('not an') ? 'malformed' : 'not-an-image-push';
    expect(parseEcrEvent(event)).toMatchObject({ kind: 'ignored', code, reason });
  });
});
