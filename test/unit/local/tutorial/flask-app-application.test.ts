import { readFileSync } from 'node:fs';
import { flaskAppApplication } from '@ecr-image-updater/local/tutorial/flask-app-application';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

describe('flaskAppApplication', () => {
  it('is the Application that examples/argocd-application.yaml shows people', () => {
    const example = parse(
      readFileSync(new URL('../../../../examples/argocd-application.yaml', import.meta.url), 'utf8'),
    );
    expect(flaskAppApplication()).toEqual(example);
  });
});
