import { describe, expect, it } from 'vitest';
import {
  ALLOW_IMAGES_ANNOTATION,
  checkApplicationConsent,
  consentGuard,
  IMAGE_LIST_ANNOTATION,
  MAX_CONSENT_ANNOTATION_LENGTH,
} from '../../../../lib/domain/consent/application-consent.ts';

const HOST = '123456789012.dkr.ecr.us-west-2.amazonaws.com';
const OTHER_ACCOUNT = '210987654321.dkr.ecr.us-west-2.amazonaws.com';
const OTHER_REGION = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const IMAGE = `${HOST}/flask-app`;

function application(annotations: Record<string, unknown> | undefined, name = 'payments-prod'): unknown {
  return { metadata: { name, namespace: 'argocd', ...(annotations ? { annotations } : {}) }, spec: {} };
}
const allow = (value: string) => application({ [ALLOW_IMAGES_ANNOTATION]: value });
const imageList = (value: string) => application({ [IMAGE_LIST_ANNOTATION]: value });

describe('checkApplicationConsent', () => {
  it.each([
    ['our annotation naming the repository', allow(IMAGE), IMAGE],
    ['one entry of a comma-separated list', allow(`${HOST}/other,${IMAGE}`), IMAGE],
    ['one line of a list with spaces around entries', allow(`  ${HOST}/other ,\n   ${IMAGE}  \n`), IMAGE],
    ['a * for one part of the path', allow(`${HOST}/team-a/*`), `${HOST}/team-a/flask-app`],
    ['a * alone for the repository', allow(`${HOST}/*`), IMAGE],
    ['a * within a part', allow(`${HOST}/flask-*`), IMAGE],
    ['the host in capitals (DNS names ignore case)', allow(`${HOST.toUpperCase()}/flask-app`), IMAGE],
    [
      'the FIPS name of the registry',
      allow('123456789012.dkr.ecr-fips.us-west-2.amazonaws.com/flask-app'),
      IMAGE,
    ],
    ['the dual-stack name of the registry', allow('123456789012.dkr-ecr.us-west-2.on.aws/flask-app'), IMAGE],
    ['image-list naming the repository', imageList(IMAGE), IMAGE],
    ['image-list with an alias', imageList(`flask=${IMAGE}`), IMAGE],
    ['image-list with a constraint', imageList(`${IMAGE}:~1.0`), IMAGE],
    [
      'image-list with alias, constraint and digest',
      imageList(`flask=${IMAGE}:~1.0@sha256:${'a'.repeat(64)}`),
      IMAGE,
    ],
    ['image-list among images outside ECR', imageList(`nginx:1.27, ghcr.io/acme/web, ${IMAGE}`), IMAGE],
    ['image-list with the host in capitals', imageList(`${HOST.toUpperCase()}/flask-app`), IMAGE],
  ])('consents with %s', (_, app, image) => {
    expect(checkApplicationConsent(app, [image]).kind).toBe('consented');
  });

  it.each([
    ['no annotation', application(undefined), IMAGE, undefined],
    ['a similar repository', allow(`${HOST}/flask-app-evil`), IMAGE, undefined],
    ['the repository, for a similar one', allow(IMAGE), `${HOST}/flask-app-evil`, undefined],
    ['a * that would have to cross /', allow(`${HOST}/*`), `${HOST}/team-a/flask-app`, undefined],
    ['another account', allow(`${OTHER_ACCOUNT}/flask-app`), IMAGE, undefined],
    ['another region', allow(`${OTHER_REGION}/flask-app`), IMAGE, undefined],
    ['a repository in capitals', allow(`${HOST}/Flask-App`), IMAGE, 'is not a repository pattern'],
    ['a * alone', allow('*'), IMAGE, "'*' in ecr-image-updater/allow-images: names no repository"],
    ['a * in the host', allow('*/flask-app'), IMAGE, 'has a * in the registry host'],
    [
      'a glob in the account',
      allow('*.dkr.ecr.us-west-2.amazonaws.com/flask-app'),
      IMAGE,
      'has a * in the registry host',
    ],
    ['a host outside ECR', allow('docker.io/flask-app'), IMAGE, "'docker.io' is not an ECR registry host"],
    ['a space inside an entry', allow(`${HOST}/flask app`), IMAGE, 'has a space in it'],
    ['entries separated by spaces', allow(`${HOST}/web ${IMAGE}`), IMAGE, 'has a space in it'],
    ['a tag', allow(`${IMAGE}:1.0.0`), IMAGE, 'has a tag or digest'],
    ['a **', allow(`${HOST}/**`), IMAGE, 'has **'],
    ['a ? (only * is a wildcard)', allow(`${HOST}/flask-?pp`), IMAGE, 'is not a repository pattern'],
    ['a class (only * is a wildcard)', allow(`${HOST}/flask-[a-z]pp`), IMAGE, 'is not a repository pattern'],
    ['an empty part', allow(`${HOST}//flask-app`), IMAGE, 'is not a repository pattern'],
    ['a value that is not text', application({ [ALLOW_IMAGES_ANNOTATION]: 42 }), IMAGE, 'is not text'],
    [
      'image-list naming another account',
      imageList(`flask=${OTHER_ACCOUNT}/flask-app:~1.0`),
      IMAGE,
      undefined,
    ],
    ['image-list naming another region', imageList(`${OTHER_REGION}/flask-app`), IMAGE, undefined],
    ['image-list naming a similar repository', imageList(`${HOST}/flask-app-evil`), IMAGE, undefined],
    ['image-list naming the repository without a registry', imageList('flask-app:~1.0'), IMAGE, undefined],
    [
      'image-list with a placeholder for the account',
      imageList('<account-id>.dkr.ecr.us-west-2.amazonaws.com/flask-app:~1.0'),
      IMAGE,
      "has the placeholder '<account-id>' where the AWS account belongs",
    ],
    ['image-list with a bad alias', imageList(`fl ask=${IMAGE}`), IMAGE, 'is not a valid alias'],
    ['image-list entries separated by spaces', imageList(`${HOST}/web ${IMAGE}`), IMAGE, 'image-list'],
    [
      'our annotation under the other name',
      application({ [`${ALLOW_IMAGES_ANNOTATION}s`]: IMAGE }),
      IMAGE,
      undefined,
    ],
  ])('refuses with %s', (_, app, image, note) => {
    const consent = checkApplicationConsent(app, [image]);
    expect(consent.kind).toBe('refused');
    const reason = consent.kind === 'refused' ? consent.reason : '';
    if (note === undefined) expect(reason).not.toContain('allowing nothing');
    else expect(reason).toContain(note);
  });

  it('says which annotation and value allow the image when there is none', () => {
    expect(checkApplicationConsent(application({}), [IMAGE])).toEqual({
      kind: 'refused',
      reason: `Application payments-prod does not allow ${IMAGE} to be written into it: its owners can add the annotation ecr-image-updater/allow-images: ${IMAGE}, or name the repository in argocd-image-updater.argoproj.io/image-list`,
    });
  });

  it('says what to add to an annotation that is there, and why its entries allow nothing', () => {
    const consent = checkApplicationConsent(allow(`${HOST}/web, ${HOST}/flask app`), [IMAGE]);
    expect(consent).toEqual({
      kind: 'refused',
      reason: `Application payments-prod does not allow ${IMAGE} to be written into it: its owners can add ${IMAGE} to its annotation ecr-image-updater/allow-images (entries separated by commas or new lines), or name the repository in argocd-image-updater.argoproj.io/image-list; allowing nothing: '${HOST}/flask app' in ecr-image-updater/allow-images: has a space in it; separate entries with commas or new lines`,
    });
  });

  it('consents only when every image is allowed, and names those that are not', () => {
    const worker = `${HOST}/worker`;
    const jobs = `${HOST}/jobs`;
    const consent = checkApplicationConsent(allow(IMAGE), [IMAGE, worker, jobs]);
    expect(consent.kind === 'refused' && consent.reason).toContain(
      `does not allow ${worker}, ${jobs} to be written into it: its owners can add ${worker}, ${jobs} to its annotation`,
    );
    expect(checkApplicationConsent(allow(`${IMAGE}\n${HOST}/*`), [IMAGE, worker, jobs]).kind).toBe(
      'consented',
    );
  });

  it('takes each image from either annotation', () => {
    const app = application({ [ALLOW_IMAGES_ANNOTATION]: `${HOST}/worker`, [IMAGE_LIST_ANNOTATION]: IMAGE });
    expect(checkApplicationConsent(app, [IMAGE, `${HOST}/worker`]).kind).toBe('consented');
  });

  it('refuses whatever the Application looks like when it has no annotations to read', () => {
    for (const app of [
      null,
      undefined,
      'payments-prod',
      [],
      { metadata: null },
      { metadata: { annotations: [IMAGE] } },
    ]) {
      const consent = checkApplicationConsent(app, [IMAGE]);
      expect(consent.kind === 'refused' && consent.reason).toContain('The Application does not allow');
    }
  });

  it('reads nothing of an annotation longer than it reads, and says so', () => {
    const huge = `${IMAGE},${'x'.repeat(MAX_CONSENT_ANNOTATION_LENGTH)}`;
    const consent = checkApplicationConsent(allow(huge), [IMAGE]);
    expect(consent.kind === 'refused' && consent.reason).toContain(
      `ecr-image-updater/allow-images is ${huge.length} characters, more than the 65536 read`,
    );
  });

  it('reads the first 100 entries and says how many more were left unread', () => {
    const entries = [...Array.from({ length: 130 }, (_, i) => `${HOST}/app-${i}`), IMAGE];
    const consent = checkApplicationConsent(allow(entries.join(',')), [IMAGE]);
    expect(consent.kind === 'refused' && consent.reason).toContain(
      '31 entries of ecr-image-updater/allow-images past the first 100 were not read',
    );
    expect(checkApplicationConsent(allow(entries.slice(31).join(',')), [IMAGE]).kind).toBe('consented');
  });

  it('refuses a very long entry without parsing it, and quotes it short', () => {
    const long = `${HOST}/${'a'.repeat(600)}`;
    const consent = checkApplicationConsent(imageList(long), [`${HOST}/${'a'.repeat(600)}`]);
    expect(consent.kind === 'refused' && consent.reason).toContain(
      `(${long.length} characters) in argocd-image-updater.argoproj.io/image-list: longer than 512 characters`,
    );
  });

  it('stays short and quick on a hostile annotation', () => {
    const hostile = Array.from({ length: 100 }, (_, i) => `${HOST}/${'*a'.repeat(120)}${i}`).join('\n');
    const started = performance.now();
    const consent = checkApplicationConsent(
      application({ [ALLOW_IMAGES_ANNOTATION]: hostile, [IMAGE_LIST_ANNOTATION]: 'x '.repeat(100_000) }),
      [`${HOST}/${'a'.repeat(255)}`],
    );
    expect(performance.now() - started).toBeLessThan(1000);
    expect(consent.kind).toBe('refused');
    expect(consent.kind === 'refused' && consent.reason.length).toBeLessThan(1500);
  });

  it('lists five entries that allow nothing and counts the others', () => {
    const consent = checkApplicationConsent(allow(Array.from({ length: 8 }, (_, i) => `bad${i}`).join(',')), [
      IMAGE,
    ]);
    const reason = consent.kind === 'refused' ? consent.reason : '';
    expect(reason).toContain("'bad4' in");
    expect(reason).not.toContain("'bad5'");
    expect(reason.endsWith('; and 3 more')).toBe(true);
  });
});

describe('consentGuard', () => {
  it('tests the annotations that consent rests on, as read, and no other', () => {
    const app = application({
      [ALLOW_IMAGES_ANNOTATION]: `${IMAGE}\n`,
      [IMAGE_LIST_ANNOTATION]: `${HOST}/worker`,
      unrelated: 'x',
    });
    expect(consentGuard(checkApplicationConsent(app, [IMAGE]))).toEqual([
      { op: 'test', path: '/metadata/annotations/ecr-image-updater~1allow-images', value: `${IMAGE}\n` },
    ]);
    expect(consentGuard(checkApplicationConsent(app, [IMAGE, `${HOST}/worker`]))).toEqual([
      { op: 'test', path: '/metadata/annotations/ecr-image-updater~1allow-images', value: `${IMAGE}\n` },
      {
        op: 'test',
        path: '/metadata/annotations/argocd-image-updater.argoproj.io~1image-list',
        value: `${HOST}/worker`,
      },
    ]);
  });

  it('is empty for a refusal', () => {
    expect(consentGuard(checkApplicationConsent(application(undefined), [IMAGE]))).toEqual([]);
  });
});
