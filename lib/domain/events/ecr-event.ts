/**
 * ECR events as EventBridge delivers them. Only a tagged, successful PUSH moves apps; everything else
 * is answered with the reason it is ignored, never thrown: a poison event must not block a retry queue.
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
}

/** Why an event is ignored, as a word for metrics; `reason` says it in full for the logs. */
export type IgnoreCode = 'not-an-image-push' | 'failed-push' | 'untagged' | 'malformed';

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

  // ECR allows repository names of up to 256 characters and tags of up to 300.
  const checks: ReadonlyArray<readonly [unknown, RegExp, string, number]> = [
    [e.account, ACCOUNT, 'account', 256],
    [e.region, REGION, 'region', 256],
    [d['repository-name'], REPOSITORY, 'repository-name', 256],
    [tag, TAG, 'image-tag', 300],
    [d['image-digest'], DIGEST, 'image-digest', 256],
  ];
  for (const [value, pattern, name, maxLength] of checks) {
    if (typeof value !== 'string' || value.length > maxLength || !pattern.test(value))
      return ignored(id, 'malformed', `malformed: ${name} ${quote(value)}`);
  }
  const time = typeof e.time === 'string' ? Date.parse(e.time) : Number.NaN;
  if (!Number.isFinite(time)) return ignored(id, 'malformed', `malformed: time ${quote(e.time)}`);
  const manifestMediaType = d['manifest-media-type'];
  return {
    kind: 'push',
    id: id ?? '',
    time,
    accountId: e.account as string,
    region: e.region as string,
    repository: d['repository-name'] as string,
    tag: tag as string,
    digest: d['image-digest'] as string,
    ...(typeof manifestMediaType === 'string' && manifestMediaType !== '' ? { manifestMediaType } : {}),
  };
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
