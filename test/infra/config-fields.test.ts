import { describe, expect, it } from 'vitest';
import { ConfigError, configProblems, known, secretReference } from '../../infra/config-fields.ts';
import { InvalidInputError } from '../../lib/domain/errors.ts';

describe('configuration fields', () => {
  it('refuses every unknown key at once, suggesting the nearest known one', () => {
    expect(() => known({ regoin: 'x', tabel: {}, colour: 1 }, 'config', ['region', 'table'])).toThrow(
      "config.regoin: unknown field; did you mean 'region'?\n" +
        "  config.tabel: unknown field; did you mean 'table'?\n" +
        '  config.colour: unknown field; known fields: region, table',
    );
  });

  it('throws the problems it collected as one ConfigError, an invalid input', () => {
    const problems = configProblems();
    problems.add(new ConfigError('config.a', 'is wrong'));
    problems.add(new ConfigError('config.b', 'is wrong'));
    let error: unknown;
    try {
      problems.throwIfAny();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as ConfigError).message).toBe('config.a: is wrong\n  config.b: is wrong');
  });

  it.each([
    ['team-a/github', undefined],
    ['arn:aws:secretsmanager:us-west-2:123456789012:secret:team-a/github-AbCdEf', undefined],
    ['arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:github-a1b2c3', undefined],
    ['arn:aws:secretsmanager:us-west-2:123456789012:secret:team-a/github', 'is not a complete secret ARN'],
    ['arn:aws:secretsmanager:us-west-2:123456789012:secret:github-AbCdE', 'is not a complete secret ARN'],
    ['arn:aws:kms:us-west-2:123456789012:key/github', 'is not a Secrets Manager secret ARN'],
  ])('takes a secret %s by name or complete ARN only', (reference, problem) => {
    const read = () => secretReference(reference, 'config.x.secret');
    if (problem === undefined) expect(read()).toBe(reference);
    else expect(read).toThrow(`config.x.secret: '${reference}' ${problem}`);
  });
});
