import { describe, expect, it } from 'vitest';
import { parseImageListEntry } from '../../../../lib/domain/migration/image-list-entry.ts';

const HOST = '123456789012.dkr.ecr.us-west-2.amazonaws.com';

function parse(entry: string, account?: string) {
  const warnings: string[] = [];
  return { spec: parseImageListEntry(entry, account, (text) => warnings.push(text)), warnings };
}

describe('parseImageListEntry', () => {
  it('reads alias, registry, repository and constraint', () => {
    expect(parse(`web=${HOST}/acme/web:~1.0`).spec).toEqual({
      alias: 'web',
      registry: HOST,
      repository: 'acme/web',
      constraint: '~1.0',
    });
    expect(parse(`${HOST}/web:>=1.0`).spec).toEqual({
      registry: HOST,
      repository: 'web',
      constraint: '>=1.0',
    });
  });

  it.each([
    '<account-id>',
    '<account>',
    'ACCOUNT_ID',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal placeholder users write
    '${AWS_ACCOUNT_ID}',
    '$AWS_ACCOUNT_ID',
    '<aws-account-id>',
  ])('replaces the placeholder %s with the account given', (placeholder) => {
    const { spec, warnings } = parse(
      `web=${placeholder}.dkr.ecr.eu-west-1.amazonaws.com/web:~2`,
      '210987654321',
    );
    expect(spec.registry).toBe('210987654321.dkr.ecr.eu-west-1.amazonaws.com');
    expect(warnings).toEqual([]);
  });

  it('replaces another spelling too, and says so', () => {
    const { spec, warnings } = parse(
      '{{.Values.account}}.dkr.ecr.us-east-1.amazonaws.com/web',
      '210987654321',
    );
    expect(spec.registry).toBe('210987654321.dkr.ecr.us-east-1.amazonaws.com');
    expect(warnings).toEqual([
      expect.stringContaining("'{{.Values.account}}' in '{{.Values.account}}.dkr.ecr"),
    ]);
  });

  it('asks for --account when a placeholder remains, naming the annotation', () => {
    expect(() => parse('<account-id>.dkr.ecr.us-west-2.amazonaws.com/flask-app:~1.0')).toThrow(
      "metadata.annotations.argocd-image-updater.argoproj.io/image-list: '<account-id>.dkr.ecr.us-west-2.amazonaws.com/flask-app:~1.0' has the placeholder '<account-id>'",
    );
  });

  it('leaves real accounts and other registries alone', () => {
    expect(parse(`${HOST}/web`, '210987654321').spec.registry).toBe(HOST);
    expect(parse('ghcr.io/acme/web:~1', '210987654321').spec.registry).toBe('ghcr.io');
  });

  it('drops a pinned digest, keeping the tag, and says so', () => {
    const digest = `sha256:${'b'.repeat(64)}`;
    const { spec, warnings } = parse(`web=${HOST}/web:latest@${digest}`);
    expect(spec).toEqual({ alias: 'web', registry: HOST, repository: 'web', constraint: 'latest' });
    expect(warnings).toEqual([expect.stringContaining(`pins the digest '${digest}'`)]);
  });
});
