/**
 * Who the CLI's caller is, from STS GetCallerIdentity: the ARN a registration is recorded under
 * (`arn:aws:sts::123456789012:assumed-role/team-a/alice`). The call needs no IAM permission: "No
 * permissions are required to perform this operation" (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).
 * Only the CLI uses it; the Lambda bundle never loads the STS client.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { CallerIdentity } from '../app/ports.ts';
import { createAwsClient } from './create-aws-client.ts';

export interface StsCallerIdentityOptions {
  readonly client?: STSClient;
}

export class StsCallerIdentity implements CallerIdentity {
  private readonly client: STSClient;

  constructor(options: StsCallerIdentityOptions = {}) {
    this.client = options.client ?? createAwsClient(STSClient);
  }

  /** The caller's ARN; an error that says who could not be learned (the SDK's error as its cause). */
  async whoAmI(): Promise<string> {
    let arn: string | undefined;
    try {
      arn = (await this.client.send(new GetCallerIdentityCommand({}))).Arn;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(
        `STS GetCallerIdentity failed (${reason}), so who registers is unknown and nothing was stored; check the AWS credentials`,
        { cause: error },
      );
    }
    if (!arn) throw new Error('STS GetCallerIdentity answered without an Arn; nothing was stored');
    return arn;
  }
}
