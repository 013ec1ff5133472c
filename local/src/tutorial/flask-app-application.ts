import type { ArgoCdApplication } from '../argocd/argocd-application.ts';

/**
 * The tutorial's Argo CD Application of the flask-app chart, annotated for Argo CD Image Updater, shaped
 * like the seed tutorial's manifest/application.yaml. It is named flask-argocd, not flask-app, so that
 * importing it beside the git registration flask-app (examples/flask-app.yaml) adds an app instead of
 * replacing that one. The fake Argo CD of `local up` and `demo` holds it, and the tutorial imports it. The repository's examples/argocd-application.yaml is the same document for
 * people to read and import (a test keeps the two equal); it lives here so that the local package
 * carries what it runs.
 */
export function flaskAppApplication(): ArgoCdApplication {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: 'flask-argocd',
      namespace: 'argocd',
      annotations: {
        // The consent of the Application's owners to this image being written into it (a stack that
        // requires consent writes nothing into an Application without it; docs/write-back.md). The
        // image-list below cannot give it: <account-id> is a placeholder, not an account. The account
        // is the local stack's; in a real cluster, name the account that owns the repository.
        'ecr-image-updater/allow-images': '123456789012.dkr.ecr.us-west-2.amazonaws.com/flask-app',
        'argocd-image-updater.argoproj.io/image-list':
          '<account-id>.dkr.ecr.us-west-2.amazonaws.com/flask-app:~1.0',
        'argocd-image-updater.argoproj.io/write-back-method': 'argocd',
        'argocd-image-updater.argoproj.io/update-strategy': 'latest',
      },
    },
    spec: {
      project: 'default',
      source: {
        repoURL: 'https://github.com/devopscube/argocd-image-updater.git',
        targetRevision: 'main',
        path: 'flask-app',
      },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'default' },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    },
  } as ArgoCdApplication;
}
