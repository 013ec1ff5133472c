/**
 * ECR events as EventBridge delivers them. A tagged, successful PUSH moves apps, and so does a completed
 * scan of a tagged image (basic scanning's `ECR Image Scan`, enhanced scanning's `Inspector2 Scan`), so
 * that apps gated on a scan move when it completes; everything else is answered with the reason it is
 * ignored, never thrown: a poison event must not block a retry queue.
 */

/** A tagged image was pushed: the trigger to re-evaluate the apps that follow the repository. */
export interface EcrPush {
  readonly kind: 'push';
  readonly id: string;
  /** The event's time, milliseconds since the epoch (for push-to-write-back latency). */
  readonly time: number;
  readonly accountId: string;
  readonly region: string;
  readonly repository: string;
  readonly tag: string;
  readonly digest: string;
  readonly manifestMediaType?: string;
  /** Present when the event is a completed scan of the image, not its push: which kind of scan. */
  readonly scan?: 'basic' | 'enhanced';
}

/** Why an event is ignored, as a word for metrics; `reason` says it in full for the logs. */
export type IgnoreCode = 'not-an-image-push' | 'failed-push' | 'untagged' | 'malformed' | 'scan-not-complete';

export interface IgnoredEvent {
  readonly kind: 'ignored';
  readonly id?: string;
  readonly code: IgnoreCode;
  readonly reason: string;
}

const ACCOUNT = /^[0-9]{12}$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-[0-9]{1,2}$/;
const REPOSITORY = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,299}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Reads an EventBridge event; answers a push, or why the event is ignored. */
export function parseEcrEvent(event: unknown): EcrPush | IgnoredEvent {
  if (typeof event !== 'object' || event === null || Array.isArray(event))
    return ignored(undefined, 'malformed', 'not an EventBridge event (not an object)');
  const e = event as Record<string, unknown>;
  const id = typeof e.id === 'string' ? e.id.slice(0, 100) : undefined;
  const scan = SCAN_EVENTS.find((kind) => kind.source === e.source && kind.detailType === e['detail-type']);
  if (scan) return parseScanEvent(e, id, scan);
  if (e.source !== 'aws.ecr')
    return ignored(id, 'not-an-image-push', `source ${quote(e.source)} is not aws.ecr`);
  if (e['detail-type'] !== 'ECR Image Action')
    return ignored(id, 'not-an-image-push', `detail-type ${quote(e['detail-type'])} is not an image action`);
  const detail = e.detail;
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail))
    return ignored(id, 'malformed', 'malformed: no detail');
  const d = detail as Record<string, unknown>;
  if (d['action-type'] !== 'PUSH')
    return ignored(id, 'not-an-image-push', `action ${quote(d['action-type'])} is not a push`);
  if (d.result !== 'SUCCESS') return ignored(id, 'failed-push', `push result ${quote(d.result)}`);
  const tag = d['image-tag'];
  if (tag === undefined || tag === '')
    return ignored(id, 'untagged', 'untagged push (a platform manifest of an image index)');

  const push = imageEvent(e, id, [d['repository-name'], tag, 'image-tag', d['image-digest']]);
  const manifestMediaType = d['manifest-media-type'];
  if (push.kind === 'ignored' || typeof manifestMediaType !== 'string' || manifestMediaType === '')
    return push;
  return { ...push, manifestMediaType };
}

// The fields every trigger has, checked: ECR allows repository names of up to 256 characters and tags
// of up to 300.
function imageEvent(
  e: Record<string, unknown>,
  id: string | undefined,
  [repository, tag, tagField, digest]: readonly [unknown, unknown, string, unknown],
): EcrPush | IgnoredEvent {
  const checks: ReadonlyArray<readonly [unknown, RegExp, string, number]> = [
    [e.account, ACCOUNT, 'account', 256],
    [e.region, REGION, 'region', 256],
    [repository, REPOSITORY, 'repository-name', 256],
    [tag, TAG, tagField, 300],
    [digest, DIGEST, 'image-digest', 256],
  ];
  for (const [value, pattern, name, maxLength] of checks) {
    if (typeof value !== 'string' || value.length > maxLength || !pattern.test(value))
      return ignored(id, 'malformed', `malformed: ${name} ${quote(value)}`);
  }
  const time = typeof e.time === 'string' ? Date.parse(e.time) : Number.NaN;
  if (!Number.isFinite(time)) return ignored(id, 'malformed', `malformed: time ${quote(e.time)}`);
  return {
    kind: 'push',
    id: id ?? '',
    time,
    accountId: e.account as string,
    region: e.region as string,
    repository: repository as string,
    tag: tag as string,
    digest: digest as string,
  };
}

/**
 * The scan-complete events: basic scanning's (ECR user guide, "Amazon ECR events and EventBridge",
 * event for an image scan: `scan-status` COMPLETE or FAILED) and enhanced scanning's, which Amazon
 * Inspector sends once an image's initial scan is done (ECR user guide, "EventBridge events sent for
 * enhanced scanning": `scan-status` INITIAL_SCAN_COMPLETE, `repository-name` as the repository's ARN).
 * Both carry `image-digest`, `image-tags` and `finding-severity-counts`.
 */
const SCAN_EVENTS = [
  { source: 'aws.ecr', detailType: 'ECR Image Scan', complete: 'COMPLETE', scan: 'basic' },
  {
    source: 'aws.inspector2',
    detailType: 'Inspector2 Scan',
    complete: 'INITIAL_SCAN_COMPLETE',
    scan: 'enhanced',
  },
] as const;

const REPOSITORY_ARN = /^arn:aws[a-z-]*:ecr:[a-z0-9-]+:[0-9]{12}:repository\/(.+)$/;

// A completed scan of a tagged image, read as a push of its first tag: the tags are read afresh anyway.
function parseScanEvent(
  e: Record<string, unknown>,
  id: string | undefined,
  kind: (typeof SCAN_EVENTS)[number],
): EcrPush | IgnoredEvent {
  const detail = e.detail;
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail))
    return ignored(id, 'malformed', 'malformed: no detail');
  const d = detail as Record<string, unknown>;
  if (d['scan-status'] !== kind.complete)
    return ignored(id, 'scan-not-complete', `scan status ${quote(d['scan-status'])}`);
  const tags = d['image-tags'];
  const tag = Array.isArray(tags) && tags.length > 0 ? tags[0] : undefined;
  if (tag === undefined) return ignored(id, 'untagged', 'a scan of an untagged image');
  const named = d['repository-name'];
  const repository = typeof named === 'string' ? (REPOSITORY_ARN.exec(named)?.[1] ?? named) : named;
  const push = imageEvent(e, id, [repository, tag, 'image-tags', d['image-digest']]);
  return push.kind === 'ignored' ? push : { ...push, scan: kind.scan };
}

function ignored(id: string | undefined, code: IgnoreCode, reason: string): IgnoredEvent {
  return id === undefined ? { kind: 'ignored', code, reason } : { kind: 'ignored', id, code, reason };
}

// Quotes a value for a log line without letting a hostile event make it long or multi-line.
function quote(value: unknown): string {
  if (value === undefined) return '(missing)';
  const raw = typeof value === 'string' ? value : serialize(value);
  const text = JSON.stringify(raw.length > 60 ? `${raw.slice(0, 57)}...` : raw).slice(1, -1);
  return `'${text}'`;
}

// A value nested too deep for JSON.stringify (a hostile event) is named by its kind, never thrown.
function serialize(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Array.isArray(value) ? '[...]' : '{...}';
  }
}
