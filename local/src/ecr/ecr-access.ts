/**
 * Calls IAM does not allow: ECR answers AccessDeniedException, naming the caller, the action and the
 * repository, when neither the caller's policy nor the repository policy allows the action ("Troubleshooting
 * Amazon ECR error messages", ECR user guide: HTTP 403 "User [arn] is not authorized to perform
 * [operation]"; the wording as IAM's "Troubleshoot access denied error messages" gives it). The AWS
 * API references' Common Errors list the same error with HTTP 400, so a denial can answer either.
 */
import { type AwsCaller, AwsJsonError, type AwsJsonHandler } from '../aws-json-server.ts';
import type { EcrRegistryState } from './ecr-registry-state.ts';
import { type EcrInput, optionalString } from './ecr-request.ts';

/** Calls on `repository` (of every operation, or only of `operations`) that IAM does not allow. */
export interface AccessDenial {
  readonly repository: string;
  /** ECR operation names (`DescribeImages`); default every operation on the repository. */
  readonly operations?: readonly string[];
  readonly registryId?: string;
  /** Default 403, as the ECR user guide shows it. */
  readonly status?: 400 | 403;
}

/** The account whose credentials signed a call (an access key STS issued for a role), when known. */
export type AccountOfKey = (accessKeyId: string) => string | undefined;

/** The denials in force, checked before any handler runs, as IAM is evaluated before the service acts. */
export class EcrAccess {
  private readonly denials = new Set<AccessDenial & { readonly registryId: string }>();
  /**
   * When set, a call is made as the account of its access key (keys this does not know are the fake's
   * own account's), and a call on another account's registry is denied: without a repository policy
   * that grants it, ECR admits only its own account's principals ("Private repository policies", ECR
   * user guide: cross-account access needs the repository policy or a role in that account).
   */
  accountOfKey: AccountOfKey | undefined;

  constructor(private readonly state: EcrRegistryState) {}

  /** Denies the calls `denial` names until the returned function is called. */
  deny(denial: AccessDenial): () => void {
    const entry = { ...denial, registryId: denial.registryId ?? this.state.accountId };
    this.denials.add(entry);
    return () => this.denials.delete(entry);
  }

  clear(): void {
    this.denials.clear();
  }

  /** `handlers`, each throwing AccessDeniedException first when a denial covers its call. */
  guard(handlers: Readonly<Record<string, AwsJsonHandler>>): Record<string, AwsJsonHandler> {
    return Object.fromEntries(
      Object.entries(handlers).map(([operation, handler]) => [
        operation,
        (input: EcrInput, caller: AwsCaller) => {
          this.check(operation, input, caller);
          return handler(input, caller);
        },
      ]),
    );
  }

  private check(operation: string, input: EcrInput, caller: AwsCaller): void {
    const name = typeof input.repositoryName === 'string' ? input.repositoryName : undefined;
    const callerAccount =
      (caller.accessKeyId && this.accountOfKey?.(caller.accessKeyId)) || this.state.accountId;
    const registryId = optionalString(input, 'registryId') ?? callerAccount;
    if (this.accountOfKey && registryId !== callerAccount) {
      const resource = `arn:aws:ecr:${this.state.region}:${registryId}:repository/${name ?? '*'}`;
      throw new AwsJsonError(
        'AccessDeniedException',
        `User: arn:aws:sts::${callerAccount}:assumed-role/local-caller/local is not authorized to ` +
          `perform: ecr:${operation} on resource: ${resource} because no resource-based policy allows the ` +
          `ecr:${operation} action`,
        403,
      );
    }
    for (const denial of this.denials) {
      if (denial.repository !== name || denial.registryId !== registryId) continue;
      if (denial.operations && !denial.operations.includes(operation)) continue;
      const resource = `arn:aws:ecr:${this.state.region}:${registryId}:repository/${name}`;
      throw new AwsJsonError(
        'AccessDeniedException',
        `User: arn:aws:sts::${this.state.accountId}:assumed-role/local-caller/local is not authorized to ` +
          `perform: ecr:${operation} on resource: ${resource} because no identity-based policy allows the ` +
          `ecr:${operation} action`,
        denial.status ?? 403,
      );
    }
  }
}
