/** Git plans as the tests of git writes build them: the seed app's image, chosen at a tag, written back by git. */
import type { TargetChooser } from '../../lib/app/choose-targets.ts';
import type { GitPlan } from '../../lib/app/git-plan.ts';
import { parseRegistration } from '../../lib/domain/registration/registration.ts';
import { targetEditor } from '../../lib/domain/targets/git-target-editor.ts';
import { flaskApp } from '../fixtures/registrations.ts';
import { githubConnection } from './connections.ts';

export interface SeedPlanOptions {
  /** `writeBack.git` of the registration (`repo` is required; `path` defaults to `apps`). */
  readonly git: Readonly<Record<string, unknown>>;
  /** The tag chosen, or the tag of each attempt. Default 1.0.2. */
  readonly tag?: string | ((attempt: number) => string);
  readonly digest?: string;
  /** The connection's consent switch. Default false. */
  readonly requireConsent?: boolean;
  /** The API of the plan's connection, for tests that write through writeGitPlans (which connects). */
  readonly apiUrl?: string;
}

/** A plan for the app `name`, registered as the seed app with `options.git` as its git write-back. */
export function seedGitPlan(name: string, options: SeedPlanOptions): GitPlan {
  const app = parseRegistration({
    ...structuredClone(flaskApp),
    name,
    writeBack: { method: 'git', git: { path: 'apps', ...options.git } },
  });
  const writeBack = app.writeBack.method === 'git' ? app.writeBack : (undefined as never);
  const { tag = '1.0.2', digest } = options;
  const choose: TargetChooser = async (attempt) => ({
    targets: [
      {
        image: app.images[0]!,
        tag: typeof tag === 'function' ? tag(attempt) : tag,
        ...(digest === undefined ? {} : { digest }),
      },
    ],
    none: [],
    explained: new Map(),
  });
  return {
    app,
    git: writeBack,
    connection: githubConnection({
      apiUrl: options.apiUrl ?? 'https://api.github.com',
      secret: 's',
      requireConsent: options.requireConsent ?? false,
    }),
    editor: targetEditor(app.name, writeBack),
    choose,
  };
}
