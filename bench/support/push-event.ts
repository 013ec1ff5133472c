/** An ECR push event as EventBridge delivers it to the function, for the benches. */
export function pushEvent(push: {
  readonly id: string;
  readonly account: string;
  readonly region: string;
  readonly repository: string;
  readonly digest: string;
  readonly tag: string;
}) {
  return {
    version: '0',
    id: push.id,
    'detail-type': 'ECR Image Action',
    source: 'aws.ecr',
    account: push.account,
    time: new Date().toISOString(),
    region: push.region,
    resources: [],
    detail: {
      result: 'SUCCESS',
      'repository-name': push.repository,
      'image-digest': push.digest,
      'action-type': 'PUSH',
      'image-tag': push.tag,
    },
  };
}
