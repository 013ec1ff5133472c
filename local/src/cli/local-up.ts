/**
 * `local up`: the peers, seeded with the tutorial's repository and Application, until Ctrl-C. The state
 * always lives in a folder (see LocalDataDir): the one `--data-dir` names, kept and resumed, or a
 * temporary one, removed at the end unless `--keep`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliIo, EXIT } from 'ecr-image-updater/cli/io';
import { ecrRegistryHost } from 'ecr-image-updater/lib/domain/images/image-spec';
import { LOCAL_GIT_CONNECTION, LOCAL_GIT_USER, LocalStack } from '../local-stack.ts';
import { flaskAppApplication } from '../tutorial/flask-app-application.ts';
import { TUTORIAL_REPO, tutorialRepositoryFiles } from '../tutorial/flask-app-chart.ts';

export interface LocalUpOptions {
  /** Where to write the environment as export lines. */
  readonly envFile?: string | undefined;
  /** The folder that keeps the state and resumes it; default a temporary folder. */
  readonly dataDir?: string | undefined;
  /** Keep the env file, and a temporary state folder, after Ctrl-C. */
  readonly keep: boolean;
  /** Spoke accounts of the local hub (LocalStackOptions.spokeAccounts). */
  readonly spokeAccounts?: readonly string[];
}

export async function localUp(io: CliIo, options: LocalUpOptions): Promise<number> {
  const { envFile, keep } = options;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'ecr-image-updater-local-')));
  const keepState = options.dataDir !== undefined || keep;
  let stack: LocalStack;
  try {
    stack = await LocalStack.start({
      dataDir,
      writeQueue: true,
      gitHost: true,
      ...(options.spokeAccounts?.length ? { spokeAccounts: options.spokeAccounts } : {}),
    });
  } catch (error) {
    if (options.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const where = stack.dataDir!.path;
  const resumed = stack.dataDir!.resumed;
  await seedTutorial(stack);
  const exports = Object.entries(stack.env()).map(([name, value]) => `export ${name}=${shellQuote(value)}`);
  if (envFile) await writeFile(envFile, `${exports.join('\n')}\n`);
  // Listen for Ctrl-C before saying ready: a script may send it as soon as it reads that line.
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  io.stdout(
    [
      'Local peers are up (Ctrl-C stops them):',
      `  DynamoDB         ${stack.dynamodb.endpoint}`,
      `  ECR              ${stack.ecr.url}  (registry ${stack.registryHost})`,
      `  Secrets Manager  ${stack.secrets.url}`,
      `  SQS              ${stack.sqs.url}  (dead-letter queue ${stack.deadLetterQueueUrl})`,
      `  GitHub           ${stack.github.url}  (repositories in ${stack.github.dataDir})`,
      `  Argo CD          ${stack.argocd.url}  (holds the Application of examples/argocd-application.yaml)`,
      `  git host         ${stack.git!.url}  (git http-backend, user ${LOCAL_GIT_USER}; connection ${LOCAL_GIT_CONNECTION}, repositories in ${stack.git!.repositories.root})`,
      '',
      `Local state in ${where}${resumed ? ', resumed where the last local up stopped' : ''}: ${
        keepState
          ? `kept when it stops; local up --data-dir ${where} resumes it`
          : 'removed when it stops (--keep or --data-dir keeps it)'
      }`,
      envFile
        ? `Environment written to ${envFile}; in another shell: source ${envFile}`
        : 'Environment (paste into another shell):',
      ...exports,
      '',
      'ready',
      '',
    ].join('\n'),
  );
  await stopped;
  await stack.close();
  if (!keepState) await rm(where, { recursive: true, force: true });
  if (envFile && !keep) await rm(envFile, { force: true });
  const state = keepState
    ? `the local state is in ${where} (local up --data-dir ${where} resumes it)`
    : `removed the local state (${where})`;
  const env = envFile === undefined ? '' : keep ? `; kept ${envFile}` : `; removed ${envFile}`;
  io.stdout(`stopped; ${state}${env}\n`);
  return EXIT.ok;
}

/** The tutorial's GitOps repository and Argo CD Application, unless the state has them already. */
async function seedTutorial(stack: LocalStack): Promise<void> {
  // The owners consent to the flask-app image of the hub's registry and of each spoke's.
  const spokes = (stack.spokes?.spokes ?? []).flatMap((spoke) =>
    spoke.regions.map((region) => ecrRegistryHost({ accountId: spoke.accountId, region })),
  );
  const files = tutorialRepositoryFiles(stack.registryHost, spokes);
  if (!(await stack.github.hasRepository(TUTORIAL_REPO.owner, TUTORIAL_REPO.name))) {
    await stack.github.createRepository(TUTORIAL_REPO.owner, TUTORIAL_REPO.name, {
      defaultBranch: TUTORIAL_REPO.branch,
      files,
    });
  }
  // The same repository on the plain git host, for registrations through the local-git connection.
  const git = stack.git;
  const path = `${TUTORIAL_REPO.owner}/${TUTORIAL_REPO.name}`;
  if (git && !(await git.repositories.head(path, TUTORIAL_REPO.branch)))
    await git.repositories.create(path, files, TUTORIAL_REPO.branch);
  const application = flaskAppApplication();
  if (!stack.argocd.application(application.metadata.name)) stack.argocd.putApplication(application);
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
