/**
 * The construct's `connections`: the platform's GitHub and Argo CD endpoints, each with the one secret
 * that belongs to it and what it may write. Checked at synth by the same reader the function runs at
 * start (lib/domain/connections/connections.ts), then handed to the function as JSON in its environment.
 */
import { Stack, Token, Tokenization } from 'aws-cdk-lib';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { parseConnections } from '../lib/domain/connections/connections.ts';

/**
 * The platform's connections, by kind and name. A registration names one (`writeBack.git.connection`,
 * `writeBack.argocd.connection`) or takes its kind's default, and can carry no URL, secret or TLS
 * setting of its own: a credential only ever goes to the endpoint it is declared with here. The
 * function may read these connections' secrets and no other. See docs/connections.md.
 *
 * Names are lowercase letters, digits and `-` (at most 63), as registrations write them. Without any
 * connection the stack deploys, but nothing can be written: every app is skipped (`not-allowed`) and its
 * decision recorded in the history, which can be a first, read-only step.
 */
export interface ImageUpdaterConnections {
  /** GitHub connections, by name. Default: none (no git write-back). */
  readonly github?: Readonly<Record<string, GitHubConnectionProps>>;
  /**
   * Plain git hosts over HTTPS (GitLab, Bitbucket, Azure DevOps, Gitea, CodeCommit's HTTPS endpoint),
   * by name; their names and GitHub's are one set. Default: none.
   */
  readonly git?: Readonly<Record<string, GitRemoteConnectionProps>>;
  /** Argo CD connections, by name. Default: none (no Argo CD write-back). */
  readonly argocd?: Readonly<Record<string, ArgoCdConnectionProps>>;
}

/** A plain git host, its credentials and the repository paths it may write. */
export interface GitRemoteConnectionProps {
  /**
   * The host's base URL (`https://gitlab.example.com`): a repository's remote is this URL, a slash and
   * the registration's `repo` (`group/sub/gitops`). No credentials in it.
   */
  readonly url: string;
  /** JSON `{"username", "password"}` (a password or an access token), JSON `{"token"}` or a bare token. */
  readonly secret: secretsmanager.ISecret;
  /** The repository paths it may write, as globs (`group/gitops`, `group/*`); `*` stops at `/`. Required. */
  readonly repositories: readonly string[];
  /**
   * Whether git registrations that name no connection use this one. At most one git connection, GitHub
   * or plain, may say so. Default: false, except that a stack's only git connection is the default.
   */
  readonly default?: boolean;
  /** Whether a write also needs the consent of the repository's owners (docs/connections.md). Default: true. */
  readonly requireConsent?: boolean;
}

/** A GitHub (or GitHub Enterprise) endpoint, its credentials and the repositories it may write. */
export interface GitHubConnectionProps {
  /**
   * The credentials: a token (the bare text or JSON `{"token"}`), or a GitHub App's JSON
   * `{"appId", "installationId", "privateKey"}`. The function reads it at run time; the stack never does.
   */
  readonly secret: secretsmanager.ISecret;
  /** The REST API those credentials belong to; GitHub Enterprise: `https://<host>/api/v3`. Default: `https://api.github.com`. */
  readonly apiUrl?: string;
  /**
   * The repositories it may write, as `owner/name` globs compared without regard to case
   * (`acme/gitops`, `acme/env-*`, `acme/*`). Required, with at least one: a write to any other
   * repository is refused (`not-allowed`) before a call is made.
   */
  readonly repositories: readonly string[];
  /**
   * Whether git registrations that name no connection use this one. At most one GitHub connection may
   * say so. Default: false, except that a stack's only GitHub connection is the default.
   */
  readonly default?: boolean;
  /** Whether a write also needs the consent of the repository's owners (docs/connections.md). Default: true. */
  readonly requireConsent?: boolean;
}

/** An Argo CD server, its token and the Applications it may patch. */
export interface ArgoCdConnectionProps {
  /** The Argo CD API as the function reaches it (`https://argocd.internal.example.com`); no credentials in it. */
  readonly server: string;
  /** The Argo CD token (the bare text or JSON `{"token"}`). */
  readonly tokenSecret: secretsmanager.ISecret;
  /** The PEM CA bundle the server's certificate chains to, for a private CA. Default: the public CAs. */
  readonly caBundleSecret?: secretsmanager.ISecret;
  /** Skips verifying the server's TLS certificate: for a test server only; prefer `caBundleSecret`. Default: false. */
  readonly insecure?: boolean;
  /**
   * The Argo CD projects whose Applications it may patch, as globs (`['*']` for every one). Required,
   * with at least one: an Application of any other project is refused (`not-allowed`).
   */
  readonly projects: readonly string[];
  /** The namespaces of the Applications it may patch, as globs. Default: `['argocd']`. */
  readonly appNamespaces?: readonly string[];
  /**
   * Whether Argo CD registrations that name no connection use this one. At most one Argo CD connection
   * may say so. Default: false, except that a stack's only Argo CD connection is the default.
   */
  readonly default?: boolean;
  /** Whether a patch also needs the Application's consent annotation (docs/connections.md). Default: true. */
  readonly requireConsent?: boolean;
}

/** The connections as the function receives them, and the secrets its role may read. */
export interface PreparedConnections {
  /** The value of the function's connections variable: JSON, with the secrets' ARNs resolved at deploy. */
  readonly environment: string;
  /** Every secret of every connection (credentials, tokens, CA bundles), each once. */
  readonly secrets: readonly secretsmanager.ISecret[];
}

/**
 * Checks the connections with the function's own reader (throwing an error that names each bad field,
 * `connections.github.gitops.repositories: is required; ...`) and prepares them for the function.
 */
export function prepareConnections(
  scope: Construct,
  connections: ImageUpdaterConnections | undefined,
  /** Bytes of the environment other large variables take (the hub's spokes), out of the connections' budget. */
  reservedBytes = 0,
): PreparedConnections {
  const document = {
    github: mapValues(connections?.github, ({ secret, ...rest }) => ({
      ...rest,
      secret: secretId(secret),
    })),
    ...(connections?.git && Object.keys(connections.git).length > 0
      ? {
          git: mapValues(connections.git, ({ secret, ...rest }) => ({ ...rest, secret: secretId(secret) })),
        }
      : {}),
    argocd: mapValues(connections?.argocd, ({ tokenSecret, caBundleSecret, ...rest }) => ({
      ...rest,
      tokenSecret: secretId(tokenSecret),
      ...(caBundleSecret ? { caBundleSecret: secretId(caBundleSecret) } : {}),
    })),
  };
  parseConnections(withStandIns(document), 'connections');
  checkEnvironmentSize(document, reservedBytes);
  const secrets = [
    ...Object.values(connections?.github ?? {}).map((c) => c.secret),
    ...Object.values(connections?.git ?? {}).map((c) => c.secret),
    ...Object.values(connections?.argocd ?? {}).flatMap((c) => [
      c.tokenSecret,
      ...(c.caBundleSecret ? [c.caBundleSecret] : []),
    ]),
  ];
  return {
    environment: Stack.of(scope).toJsonString(document),
    secrets: [...new Set(secrets)],
  };
}

/**
 * Lambda allows 4 KB of environment variables per function, all of them together (Lambda quotas:
 * docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html); past it the deployment fails in
 * CloudFormation, after the stack has started to change. The connections are checked at synth instead,
 * leaving 512 bytes for the function's other variables, with each value known only at deploy (a
 * secret's ARN) counted as 128 characters.
 */
export const CONNECTIONS_ENVIRONMENT_BUDGET = 4096 - 512;
const UNRESOLVED_LENGTH = 128;

function checkEnvironmentSize(document: unknown, reservedBytes: number): void {
  const estimate = Buffer.byteLength(
    JSON.stringify(withStandIns(document, '', 'x'.repeat(UNRESOLVED_LENGTH))),
  );
  const budget = CONNECTIONS_ENVIRONMENT_BUDGET - reservedBytes;
  if (estimate > budget)
    throw new Error(
      `connections: about ${estimate.toLocaleString('en-US')} bytes as the function's environment, more than the ${budget.toLocaleString('en-US')} bytes Lambda leaves them (4 KB for every variable together${reservedBytes > 0 ? `, ${reservedBytes.toLocaleString('en-US')} of them the spokes'` : ''}); use fewer connections (one connection covers many repositories with globs such as acme/*), or name secrets by name rather than ARN`,
    );
}

/** What the function calls a secret by: its full ARN when known, else its name. */
function secretId(secret: secretsmanager.ISecret | undefined): string | undefined {
  // Undefined only from JavaScript callers; the reader then says the field is required.
  return secret && (secret.secretFullArn ?? secret.secretName);
}

function mapValues<T, U>(
  record: Readonly<Record<string, T>> | undefined,
  map: (value: T) => U,
): Record<string, U> {
  return Object.fromEntries(Object.entries(record ?? {}).map(([name, value]) => [name, map(value)]));
}

// A value known only at deploy (a new secret's ARN, an imported host name in `server`) is checked as far
// as synth can see it: a token inside a value stands in as a word, so that the literal around it
// (`https://admin:pw@`) is still checked; a value that is one token whole stands in as a value its field
// accepts. The function's reader checks the real values again when it starts.
const WHOLE_TOKEN_STAND_IN: Readonly<Record<string, string>> = {
  server: 'https://unresolved.invalid',
  apiUrl: 'https://unresolved.invalid',
  url: 'https://unresolved.invalid',
  repositories: 'unresolved/unresolved',
};

// `standIn` replaces every token alike instead (to count the length a value may have at deploy).
function withStandIns(value: unknown, key = '', standIn?: string): unknown {
  if (typeof value === 'string') {
    if (!Token.isUnresolved(value)) return value;
    const fragments = Tokenization.reverseString(value);
    if (fragments.length === 1 && fragments.firstToken)
      return standIn ?? WHOLE_TOKEN_STAND_IN[key] ?? 'unresolved';
    return fragments
      .mapTokens({ mapToken: () => standIn ?? 'unresolved' })
      .join({ join: (left, right) => `${left}${right}` });
  }
  if (Array.isArray(value)) return value.map((item) => withStandIns(item, key, standIn));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withStandIns(v, k, standIn)]));
  return value;
}
