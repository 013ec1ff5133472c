/**
 * The GitOps repository of the seed tutorial (devopscube/argocd-image-updater): the `flask-app` Helm
 * chart, with the seed's values (`image.repository`/`image.tag`, a NodePort service on 30050), pointed
 * at the local ECR's account.
 */

import { CONSENT_FILE_NAME } from 'ecr-image-updater/lib/domain/consent/consent-file';
export const TUTORIAL_REPO = { owner: 'devopscube', name: 'argocd-image-updater', branch: 'main' } as const;
export const TUTORIAL_APP_PATH = 'flask-app';

/** The chart's files, relative to its path. */
export function flaskAppChart(registry: string): Record<string, string> {
  return {
    'Chart.yaml': [
      'apiVersion: v2',
      'name: flask-app',
      'description: The Flask app of the seed tutorial',
      'type: application',
      'version: 0.1.0',
      'appVersion: "1.0.0"',
      '',
    ].join('\n'),
    'values.yaml': [
      'replicaCount: 1',
      '',
      'image:',
      `  repository: ${registry}/flask-app`,
      '  tag: "1.0.0"',
      '  pullPolicy: IfNotPresent',
      '',
      'service:',
      '  type: NodePort',
      '  port: 80',
      '  targetPort: 5000',
      '  nodePort: 30050',
      '',
    ].join('\n'),
    'templates/deployment.yaml': [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: {{ .Release.Name }}',
      '  labels:',
      '    app: {{ .Release.Name }}',
      'spec:',
      '  replicas: {{ .Values.replicaCount }}',
      '  selector:',
      '    matchLabels:',
      '      app: {{ .Release.Name }}',
      '  template:',
      '    metadata:',
      '      labels:',
      '        app: {{ .Release.Name }}',
      '    spec:',
      '      containers:',
      '        - name: flask-app',
      '          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"',
      '          imagePullPolicy: {{ .Values.image.pullPolicy }}',
      '          ports:',
      '            - containerPort: {{ .Values.service.targetPort }}',
      '',
    ].join('\n'),
    'templates/service.yaml': [
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: {{ .Release.Name }}',
      'spec:',
      '  type: {{ .Values.service.type }}',
      '  selector:',
      '    app: {{ .Release.Name }}',
      '  ports:',
      '    - port: {{ .Values.service.port }}',
      '      targetPort: {{ .Values.service.targetPort }}',
      '      nodePort: {{ .Values.service.nodePort }}',
      '',
    ].join('\n'),
  };
}

/** The seed app's registration: `flask-app:~1.0`, written back to git as `.argocd-source-flask-app.yaml`. */
export function flaskAppRegistration(registry: string) {
  return {
    name: 'flask-app',
    images: [{ image: `${registry}/flask-app:~1.0` }],
    writeBack: {
      method: 'git',
      git: {
        repo: `${TUTORIAL_REPO.owner}/${TUTORIAL_REPO.name}`,
        branch: TUTORIAL_REPO.branch,
        path: TUTORIAL_APP_PATH,
      },
    },
  };
}

/**
 * The consent of the tutorial repository's owners, at its root: flask-app's image may be written under
 * flask-app/ (the tutorial's apps write there, consent being required as a deployed stack requires it).
 */
export function tutorialConsentFile(registries: string | readonly string[]): string {
  const images = [registries].flat().map((registry) => `${registry}/flask-app`);
  return [
    '# What ecr-image-updater may write into this repository, and where (docs/write-back.md)',
    'allow:',
    `  - images: [${images.join(', ')}]`,
    `    paths: [${TUTORIAL_APP_PATH}]`,
    '',
  ].join('\n');
}

/**
 * The tutorial's GitOps repository as it starts: the chart under flask-app/ and the consent file, which
 * allows the flask-app image of `registry` and of any `alsoAllowed` registries (a hub's spokes).
 */
export function tutorialRepositoryFiles(
  registry: string,
  alsoAllowed: readonly string[] = [],
): Record<string, string> {
  const chart = Object.entries(flaskAppChart(registry));
  return {
    [CONSENT_FILE_NAME]: tutorialConsentFile([registry, ...alsoAllowed]),
    ...Object.fromEntries(chart.map(([path, text]) => [`${TUTORIAL_APP_PATH}/${path}`, text])),
  };
}
