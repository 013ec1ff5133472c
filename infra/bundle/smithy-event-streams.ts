/**
 * Stands in for `@smithy/core/event-streams` in the Lambda bundle (see ../function-bundling.ts). The SDK
 * loads that module only to send or read an operation's event stream; none of the operations the
 * function sends (DynamoDB, ECR, Secrets Manager) has one. Should one ever be sent, it fails here and
 * says why instead of failing somewhere less clear.
 */

const MESSAGE =
  'event streams are left out of the Lambda bundle (infra/function-bundling.ts): none of its operations has one';

function notBundled(): never {
  throw new Error(MESSAGE);
}

/** What the SDK would build an event stream's marshaller with. */
export const eventStreamSerdeProvider = (): never => notBundled();

/** What the SDK would read and write an event stream with. */
export class EventStreamSerde {
  constructor() {
    notBundled();
  }
}
