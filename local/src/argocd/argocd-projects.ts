import { ArgoCdApiError } from './argocd-api-error.ts';
import { globMatches } from './argocd-rbac.ts';

/** An AppProject, as far as the API server's checks of an Application read it. */
export interface FakeArgoCdProject {
  readonly name: string;
  /**
   * The namespaces outside Argo CD's own whose Applications may use the project (`spec.sourceNamespaces`,
   * globs). Default: none, as a new AppProject has.
   */
  readonly sourceNamespaces?: readonly string[];
  /**
   * A sync window now refuses manual syncs: a `deny` window in its schedule, or `allow` windows none of
   * which is, without `manualSync: true` (SyncWindows.CanSync in pkg/apis/application/v1alpha1/types.go).
   */
  readonly syncBlocked?: boolean;
}

/**
 * The projects the fake knows and which namespaces its API server serves. Without declared projects
 * every project exists and admits every namespace (the fake has no AppProject objects of its own); once
 * `projects` is given, only those exist, as on a real install.
 */
export class ArgoCdProjects {
  readonly #projects = new Map<string, FakeArgoCdProject>();
  readonly #declared: boolean;

  constructor(
    /** Argo CD's own namespace. */
    readonly serverNamespace: string,
    /** `--application-namespaces`: the other namespaces the server serves Applications from (globs). */
    readonly applicationNamespaces: readonly string[],
    projects: readonly FakeArgoCdProject[] | undefined,
  ) {
    this.#declared = projects !== undefined;
    for (const project of projects ?? []) this.#projects.set(project.name, project);
  }

  /** Adds or replaces a project (a sync window closing or opening, say). */
  set(project: FakeArgoCdProject): void {
    this.#projects.set(project.name, project);
  }

  /** Server.isNamespaceEnabled (server/application/application.go): its own or a listed namespace. */
  isNamespaceEnabled(namespace: string): boolean {
    return (
      namespace === this.serverNamespace ||
      this.applicationNamespaces.some((glob) => globMatches(glob, namespace))
    );
  }

  /**
   * The app's project, or Server.getAppProject's deliberately vague 400 when the project does not exist
   * or does not admit the app's namespace (AppProject.IsAppNamespacePermitted).
   */
  projectOf(project: string, namespace: string): FakeArgoCdProject {
    const found = this.#projects.get(project) ?? (this.#declared ? undefined : { name: project });
    const admitted =
      found !== undefined &&
      (namespace === this.serverNamespace ||
        !this.#declared ||
        (found.sourceNamespaces ?? []).some((glob) => globMatches(glob, namespace)));
    if (!found || !admitted) {
      throw ArgoCdApiError.invalidArgument(
        `app is not allowed in project "${project}", or the project does not exist`,
      );
    }
    return found;
  }
}
