/**
 * Credentials of a spoke's read role, from STS AssumeRole, kept until shortly before they expire: one
 * AssumeRole per role per hour or so, however many events and regions read that account. A small
 * provider on @aws-sdk/client-sts rather than @aws-sdk/credential-providers' fromTemporaryCredentials,
 * which pulls the whole provider chain into the bundle. AssumeRole's answer (Credentials with
 * AccessKeyId, SecretAccessKey, SessionToken, Expiration) is the one of
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html.
 */
import { AssumeRoleCommand, type AssumeRoleCommandOutput, type STSClient } from '@aws-sdk/client-sts';
import { UpstreamError } from '../domain/errors.ts';

/** Temporary credentials, in the shape every AWS SDK client takes (`expiration` tells the SDK when to ask again). */
export interface TemporaryCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

export type CredentialsProvider = () => Promise<TemporaryCredentials>;

export interface AssumeRoleCredentialsOptions {
  readonly client: STSClient;
  readonly roleArn: string;
  /** Shows in the spoke's CloudTrail as the assumed role's session (default `ecr-image-updater`). */
  readonly sessionName?: string;
  /** Epoch ms; tests pass a clock. */
  readonly now?: () => number;
}

/** Credentials are renewed this long before they expire, so no call is signed with ones about to lapse. */
export const RENEW_BEFORE_EXPIRY_MS = 5 * 60_000;

/**
 * A provider of the role's credentials: the first call assumes the role, later calls answer the same
 * credentials until 5 minutes before their expiry; calls made while AssumeRole is under way share it.
 * A failed AssumeRole is not kept: the next call tries again.
 */
export function assumeRoleCredentials(options: AssumeRoleCredentialsOptions): CredentialsProvider {
  const now = options.now ?? Date.now;
  let current: Promise<TemporaryCredentials> | undefined;
  return async () => {
    if (current) {
      const held = await current.catch(() => undefined);
      if (held && held.expiration.getTime() - RENEW_BEFORE_EXPIRY_MS > now()) return held;
    }
    const pending = assumeRole(options);
    current = pending;
    pending.catch(() => {
      if (current === pending) current = undefined;
    });
    return pending;
  };
}

async function assumeRole(options: AssumeRoleCredentialsOptions): Promise<TemporaryCredentials> {
  const { roleArn } = options;
  let answer: AssumeRoleCommandOutput;
  try {
    answer = await options.client.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: options.sessionName ?? 'ecr-image-updater',
      }),
    );
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    // AccessDenied: the spoke's trust policy does not admit this role, which a retry cannot change.
    const retryable =
      name !== 'AccessDenied' && name !== 'AccessDeniedException' && name !== 'ValidationError';
    throw new UpstreamError('STS', `AssumeRole of ${roleArn} failed (${name})`, {
      retryable,
      cause: error,
      ...(status === undefined ? {} : { status }),
    });
  }
  const c = answer.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration)
    throw new UpstreamError('STS', `AssumeRole of ${roleArn} answered without credentials`, {
      retryable: true,
    });
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    expiration: c.Expiration,
  };
}
