/**
 * A fault for the next matching calls of a peer that speaks an AWS JSON protocol (DynamoDB's JSON 1.0,
 * ECR's, Secrets Manager's and SQS's JSON 1.1), consumed in the order injected. `target` names the
 * operation (absent: any), `times` defaults to 1. `status` answers the service's error body (the SDK
 * retries 5xx and throttling types), `reset` destroys the socket without an answer, `delay` answers late.
 */
export type AwsWireFault = { readonly target?: string; readonly times?: number } & (
  | {
      readonly kind: 'status';
      readonly status: number;
      /** The error's `__type`; each peer has a default by status. */
      readonly type?: string;
      readonly message?: string;
      readonly retryAfterSeconds?: number;
    }
  | { readonly kind: 'reset' }
  | { readonly kind: 'delay'; readonly ms: number }
);
