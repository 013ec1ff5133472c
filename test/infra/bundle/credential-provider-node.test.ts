import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultProvider as sdkDefaultProvider } from '@aws-sdk/credential-provider-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as substitute from '../../../infra/bundle/credential-provider-node.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CREDENTIAL_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_PROFILE',
] as const;

/** What the Lambda runtime sets for the function's role. */
const LAMBDA_ENV = {
  AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEROLE',
  AWS_SECRET_ACCESS_KEY: 'secret-from-the-environment',
  AWS_SESSION_TOKEN: 'session-from-the-environment',
};

/** Every name the SDK clients we depend on import from `@aws-sdk/credential-provider-node`. */
function namesTheClientsImport(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const clients = Object.keys(pkg.dependencies).filter((name) => name.startsWith('@aws-sdk/client-'));
  const names = new Set<string>();
  for (const client of clients) {
    const dir = join(ROOT, 'node_modules', client, 'dist-es');
    for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.js'),
    )) {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const [, list] of text.matchAll(
        /import\s*\{([^{}]*)\}\s*from\s*"@aws-sdk\/credential-provider-node"/g,
      ))
        for (const item of list!.split(',')) if (item.trim()) names.add(item.trim().split(/\s+as\s+/)[0]!);
    }
  }
  return [...names].sort();
}

describe('the credentials of the Lambda bundle', () => {
  const saved: Partial<Record<string, string>> = {};
  beforeEach(() => {
    for (const name of CREDENTIAL_VARIABLES) {
      saved[name] = process.env[name];
      delete process.env[name];
    }
  });
  afterEach(() => {
    for (const name of CREDENTIAL_VARIABLES) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it("are the role's credentials from the environment, as the SDK's default chain finds them in Lambda", async () => {
    Object.assign(process.env, LAMBDA_ENV);
    const ours = await substitute.defaultProvider()();
    const sdks = await sdkDefaultProvider()();
    expect(ours).toMatchObject({
      accessKeyId: LAMBDA_ENV.AWS_ACCESS_KEY_ID,
      secretAccessKey: LAMBDA_ENV.AWS_SECRET_ACCESS_KEY,
      sessionToken: LAMBDA_ENV.AWS_SESSION_TOKEN,
    });
    expect({ ...ours }).toEqual({ ...sdks });
  });

  it("fail with the SDK's own error when the environment holds none", async () => {
    await expect(substitute.defaultProvider()()).rejects.toMatchObject({
      name: 'CredentialsProviderError',
      message: expect.stringContaining('environment variable credentials'),
    });
  });

  it('stand in for every name the SDK clients import from the default chain', () => {
    const names = namesTheClientsImport();
    expect(names).toContain('defaultProvider');
    expect(names.filter((name) => !(name in substitute))).toEqual([]);
  });
});
