/**
 * The names of the updater's environment variables, in one place: the construct sets them on the
 * function, `local up` exports them to a shell, and the function, the CLI and local mode read them.
 * AWS's own (`AWS_REGION`, `AWS_ENDPOINT_URL_*`, `AWS_LAMBDA_LOG_LEVEL`) belong to the SDK and Lambda.
 */
export const ENVIRONMENT = {
  /** The registry table's name (the CLI's `--table` wins over it). */
  table: 'ECR_IMAGE_UPDATER_TABLE',
  /**
   * The platform's connections (GitHub and Argo CD endpoints with their secrets), as JSON in the format
   * of lib/domain/connections/connections.ts: the construct writes it from its props, `local up` from
   * the local peers.
   */
  connections: 'ECR_IMAGE_UPDATER_CONNECTIONS',
  /**
   * The FIFO queue that coalesces git writes per branch (the stack's WriteQueueUrl): when set, the push
   * function queues git writes for the writer instead of making them.
   */
  writeQueueUrl: 'ECR_IMAGE_UPDATER_WRITE_QUEUE_URL',
  /**
   * The hub's spoke accounts, as JSON `{ hubAccount, spokes: [{ account, region, roleArn }] }`
   * (lib/domain/events/spoke-accounts.ts): unset, the updater serves the events of every account that
   * reaches it with its own role, as before spokes.
   */
  spokes: 'ECR_IMAGE_UPDATER_SPOKES',
  /** Apps processed at once per event (1 to 64). */
  concurrency: 'ECR_IMAGE_UPDATER_CONCURRENCY',
  /** Days the audit history of decisions is kept. */
  historyDays: 'ECR_IMAGE_UPDATER_HISTORY_DAYS',
  /** The `service` of every log line and the metrics' Service dimension. */
  service: 'ECR_IMAGE_UPDATER_SERVICE',
  /** The log threshold (DEBUG, INFO, WARN, ERROR; default INFO); Lambda's `AWS_LAMBDA_LOG_LEVEL` wins when set. */
  logLevel: 'ECR_IMAGE_UPDATER_LOG_LEVEL',
  /** The dead-letter queue that `redrive` reads (the stack's DeadLetterQueueUrl output); local mode sets it. */
  deadLetterQueueUrl: 'ECR_IMAGE_UPDATER_DLQ_URL',
  /** Local mode: the account of the local ECR, which `local push` pushes to. */
  localAccount: 'ECR_IMAGE_UPDATER_LOCAL_ACCOUNT',
  /** Local mode: the folder of the fake GitHub's bare repositories, for `git -C` by hand. */
  gitopsDir: 'ECR_IMAGE_UPDATER_GITOPS_DIR',
  /** Local mode: the folder of the plain git host's bare repositories (git http-backend), for `git -C` by hand. */
  gitHostDir: 'ECR_IMAGE_UPDATER_GIT_HOST_DIR',
  /** Local mode: the fake GitHub's API, for `local show` and `curl` by hand (the function reads the connections). */
  localGithubApiUrl: 'ECR_IMAGE_UPDATER_LOCAL_GITHUB_API_URL',
  /** Local mode: the fake Argo CD's API, for `local show` and `curl` by hand (the function reads the connections). */
  localArgocdServer: 'ECR_IMAGE_UPDATER_LOCAL_ARGOCD_SERVER',
  /** Local mode: the fake GitHub's token, for `local show` and `curl` by hand (the function reads the secret). */
  localGithubToken: 'ECR_IMAGE_UPDATER_LOCAL_GITHUB_TOKEN',
  /** Local mode: the fake Argo CD's token, for `local show` and `curl` by hand (the function reads the secret). */
  localArgocdToken: 'ECR_IMAGE_UPDATER_LOCAL_ARGOCD_TOKEN',
} as const;

/**
 * The name of a spoke's read role, shared by the spoke construct (which creates it) and the hub's
 * configuration (which assumes it) when a spoke gives no role ARN of its own.
 */
export const SPOKE_READ_ROLE_NAME = 'ecr-image-updater-spoke-read';
