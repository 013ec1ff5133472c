import type { ArgoCdApplication, FakeArgoCdServer } from '@ecr-image-updater/local/argocd/fake-argocd-server';

/** The token a default fake accepts. */
export const TOKEN = 'local-argocd-token';

/** An answer of the fake: status, headers, raw text and the parsed JSON body (when it was JSON). */
export interface ApiAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: Record<string, unknown>;
}

/** How to send one request; `null` leaves a header out. */
export interface CallOptions {
  readonly body?: unknown;
  /** Sent as is instead of `JSON.stringify(body)`. */
  readonly rawBody?: string;
  readonly token?: string | null;
  readonly contentType?: string | null;
}

/** One request with Node's own fetch, as the product's adapter sends it. */
export async function call(
  server: FakeArgoCdServer,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<ApiAnswer> {
  const headers: Record<string, string> = {};
  const token = options.token === undefined ? TOKEN : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const contentType =
    options.contentType === undefined && method !== 'GET' ? 'application/json' : options.contentType;
  if (contentType) headers['content-type'] = contentType;
  const payload = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers,
    ...(payload === undefined ? {} : { body: payload }),
  });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Plain-text answers (415, 404) keep an empty body; tests read `text`.
  }
  return { status: response.status, headers: response.headers, text, body };
}

/** One JSON Patch operation. */
export type PatchOperation = Readonly<Record<string, unknown>>;

/** `PATCH /api/v1/applications/{name}` with a JSON patch, as the write-back sends it. */
export function jsonPatch(
  server: FakeArgoCdServer,
  name: string,
  operations: readonly PatchOperation[],
  extra: Readonly<Record<string, unknown>> = {},
): Promise<ApiAnswer> {
  return call(server, 'PATCH', `/api/v1/applications/${name}`, {
    body: { name, patch: JSON.stringify(operations), patchType: 'json', ...extra },
  });
}

/** The answer's body read as an Application. */
export function asApp(answer: ApiAnswer): ArgoCdApplication {
  return answer.body as unknown as ArgoCdApplication;
}

/** A Helm app with its image set by parameters, the common shape the updater writes to. */
export function helmApp(name: string, tag = '1.0.0', project = 'default'): ArgoCdApplication {
  return {
    metadata: { name, labels: { team: 'web' } },
    spec: {
      project,
      source: {
        repoURL: 'https://github.com/acme/gitops.git',
        path: `apps/${name}`,
        targetRevision: 'main',
        helm: {
          parameters: [
            { name: 'image.repository', value: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/flask-app' },
            { name: 'image.tag', value: tag },
          ],
        },
      },
      destination: { server: 'https://kubernetes.default.svc', namespace: name },
    },
    status: {
      sync: { status: 'Synced', revision: 'abc123' },
      health: { status: 'Healthy' },
      summary: { images: [`123456789012.dkr.ecr.eu-west-1.amazonaws.com/flask-app:${tag}`] },
    },
  };
}

/** A Kustomize app whose image is set with `spec.source.kustomize.images`. */
export function kustomizeApp(name: string): ArgoCdApplication {
  return {
    metadata: { name },
    spec: {
      project: 'default',
      source: {
        repoURL: 'https://github.com/acme/gitops.git',
        path: `overlays/${name}`,
        targetRevision: 'HEAD',
        kustomize: { images: ['nginx=123456789012.dkr.ecr.eu-west-1.amazonaws.com/nginx:1.25.0'] },
      },
      destination: { server: 'https://kubernetes.default.svc', namespace: name },
    },
  };
}

/** A multi-source app: a Helm chart from a chart repository, and a Kustomize overlay from git. */
export function multiSourceApp(name: string): ArgoCdApplication {
  return {
    metadata: { name },
    spec: {
      project: 'platform',
      sources: [
        {
          repoURL: 'https://charts.example.com',
          chart: 'api',
          targetRevision: '2.3.1',
          helm: { parameters: [{ name: 'image.tag', value: '2.0.0' }] },
        },
        {
          repoURL: 'https://github.com/acme/gitops.git',
          path: `overlays/${name}`,
          targetRevision: 'main',
          kustomize: { images: ['worker=123456789012.dkr.ecr.eu-west-1.amazonaws.com/worker:0.9.0'] },
        },
      ],
      destination: { name: 'in-cluster', namespace: name },
    },
  };
}
