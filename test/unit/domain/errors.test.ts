import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../lib/domain/errors.ts';

describe('InvalidInputError', () => {
  it('names the field, the problem and the fix in one line', () => {
    const error = new InvalidInputError(
      'strategy',
      "unknown strategy 'newest'",
      'use semver, newest-build, alphabetical or digest',
    );
    expect(error.message).toBe(
      "strategy: unknown strategy 'newest'; use semver, newest-build, alphabetical or digest",
    );
    expect(error.retryable).toBe(false);
  });
});
