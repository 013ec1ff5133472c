/**
 * What every hostile-input case checks afterwards: the handler answered (or failed the invocation for a
 * retry) instead of crashing, and what it wrote, if anything, is YAML that Go's readers (YAML 1.1) and
 * JavaScript's (YAML 1.2) read back as exactly the tag chosen.
 */
import { expect } from 'vitest';
import { parse, parseDocument } from 'yaml';
import { type ImagePushResult, RetryableFailureError } from '../../functions/image-push.ts';
import { ECR_HOST } from '../fixtures/registrations.ts';

/** Shapes no output may hold: JWTs (Argo CD tokens, GitHub App JWTs), installation tokens, private keys. */
export const SECRET_SHAPES: readonly RegExp[] = [
  /eyJ[\w-]{8,}\.[\w-]{8,}\./,
  /ghs_[\w-]{10,}/,
  /BEGIN [A-Z ]*PRIVATE KEY/,
];

/** The answer of an invocation: its result, or the RetryableFailureError it failed with. */
export type Settled = { readonly result: ImagePushResult } | { readonly retry: RetryableFailureError };

/** Runs the handler; anything thrown but a RetryableFailureError is a crash and fails the test. */
export async function settle(
  handler: (event: unknown) => Promise<ImagePushResult>,
  event: unknown,
): Promise<Settled> {
  try {
    return { result: await handler(event) };
  } catch (error) {
    expect(error).toBeInstanceOf(RetryableFailureError);
    return { retry: error as RetryableFailureError };
  }
}

/** The file read with both YAML versions; they must agree. */
export function parseBothWays(text: string): unknown {
  const modern = parse(text, { version: '1.2', uniqueKeys: true });
  const legacy = parse(text, { version: '1.1', uniqueKeys: true });
  expect(legacy).toEqual(modern);
  return modern;
}

/**
 * The value at `path`, read both ways without expanding aliases (a file may hold a billion laughs the
 * updater rightly left alone).
 */
export function valueAt(text: string, path: readonly string[]): unknown {
  const [modern, legacy] = (['1.2', '1.1'] as const).map((version) => {
    const document = parseDocument(text, { version, uniqueKeys: true });
    expect(document.errors).toEqual([]);
    return document.getIn(path);
  });
  expect(legacy).toEqual(modern);
  return modern;
}

/** The value of a Helm parameter in an `.argocd-source-<app>.yaml`, read both ways. */
export function sourceParameter(text: string, name: string): unknown {
  const source = parseBothWays(text) as { helm?: { parameters?: Array<{ name: unknown; value: unknown }> } };
  return source.helm?.parameters?.find((parameter) => parameter.name === name)?.value;
}

/**
 * After a case, the file is as it was, or YAML holding one of `tags` as the `image.tag` parameter (for
 * an `.argocd-source` file) or at `image.tag` (for a values file).
 */
export function expectIntact(before: string | undefined, after: string | undefined, tags: readonly string[]) {
  if (after === before) return;
  expect(after).toBeDefined();
  const document = parseBothWays(after!) as { image?: { tag?: unknown } };
  const tag = after!.includes('helm:') ? sourceParameter(after!, 'image.tag') : document.image?.tag;
  expect(tags).toContain(tag);
}

/** A push event of `repository` as EventBridge delivers it, with a fresh id. */
export function pushEvent(repository: string, tag: string, base: Record<string, unknown>) {
  const detail = base.detail as Record<string, unknown>;
  return {
    ...base,
    id: crypto.randomUUID(),
    time: new Date().toISOString(),
    detail: { ...detail, 'repository-name': repository, 'image-tag': tag },
  };
}

/** An app that follows `repository` and writes back to git with `git` (repo and branch defaulted). */
export function gitApp(name: string, repository: string, git: object, image: object = {}) {
  return {
    name,
    images: [{ image: `${ECR_HOST}/${repository}`, ...image }],
    writeBack: { method: 'git', git: { repo: 'devopscube/argocd-image-updater', branch: 'main', ...git } },
  };
}
