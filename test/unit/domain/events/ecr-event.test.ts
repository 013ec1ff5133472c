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
  ])('ignores %s: %s', (file, code, reason) => {
    expect(parseEcrEvent(sample(file))).toEqual({ kind: 'ignored', id: sample(file).id, code, reason });
  });

  it('reads a completed basic scan of a tagged image as a trigger, like a push of its tag', () => {
    expect(parseEcrEvent(sample('scan-complete.json'))).toEqual({
      kind: 'push',
      id: '85fc3613-e913-7fc4-a80c-a3753e4aa9ae',
      time: Date.UTC(2026, 10, 16, 1, 56),
      accountId: '123456789012',
      region: 'us-west-2',
      repository: 'flask-app',
      tag: '1.0.2',
      digest: 'sha256:978f5f8049d3d0de30a7fc3892aafdfb323451bf682170d99154230ddefbe91e',
      scan: 'basic',
    });
  });

  it("reads Amazon Inspector's initial scan of an image, naming the repository by its ARN", () => {
    expect(parseEcrEvent(sample('inspector2-scan-complete.json'))).toMatchObject({
      kind: 'push',
      id: '3b8f2c6e-71d4-4a0b-9e5f-2c1d0e9a7b64',
      accountId: '123456789012',
      repository: 'flask-app',
      tag: '1.0.2',
      scan: 'enhanced',
    });
    const nested = sample('inspector2-scan-complete.json');
    nested.detail['repository-name'] = 'arn:aws:ecr:us-west-2:123456789012:repository/platform/api';
    expect(parseEcrEvent(nested)).toMatchObject({ repository: 'platform/api' });
  });

  it.each([
    [
      'a failed basic scan',
      'scan-complete.json',
      { 'scan-status': 'FAILED' },
      'scan-not-complete',
      "scan status 'FAILED'",
    ],
    [
      'a scan of an untagged image',
      'scan-complete.json',
      { 'image-tags': [] },
      'untagged',
      'a scan of an untagged image',
    ],
    [
      'an enhanced scan status other than the initial scan',
      'inspector2-scan-complete.json',
      { 'scan-status': 'SCAN_ELIGIBILITY_EXPIRED' },
      'scan-not-complete',
      "scan status 'SCAN_ELIGIBILITY_EXPIRED'",
    ],
    [
      'a bad repository',
      'inspector2-scan-complete.json',
      { 'repository-name': 'arn:aws:ecr:x' },
      'malformed',
      'malformed: repository-name',
    ],
  ])('ignores %s', (_what, file, change, code, reason) => {
    const event = sample(file);
    const parsed = parseEcrEvent({ ...event, detail: { ...event.detail, ...change } });
    expect(parsed).toMatchObject({ kind: 'ignored', code });
    expect(parsed.kind === 'ignored' && parsed.reason).toContain(reason);
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
      'inspector2-scan-complete.json',
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
