import { describeSchemaError, LazySchemas } from '@ecr-image-updater/local/http/lazy-schemas';
import { describe, expect, it } from 'vitest';

const ITEM = { type: 'object', required: ['name', 'size'], properties: { size: { type: 'integer' } } };

describe('LazySchemas', () => {
  it('compiles a schema the first time its key is asked for, and reuses it after', () => {
    const schemas = new LazySchemas();
    let built = 0;
    const schema = () => {
      built += 1;
      return ITEM;
    };
    const first = schemas.validator('item', schema);
    expect(built).toBe(1);
    expect(schemas.validator('item', schema)).toBe(first);
    expect(built).toBe(1);
  });

  it('reports every problem of a value, not only the first', () => {
    const check = new LazySchemas().validator('item', () => ITEM);
    expect(check({ size: 'big' })).toBe(false);
    expect(check.errors?.map(describeSchemaError)).toEqual([
      "/ must have required property 'name'",
      '/size must be integer',
    ]);
  });

  it('knows the JSON Schema formats, takes formats of its own and tolerates unknown keywords and formats', () => {
    const schemas = new LazySchemas();
    schemas.ajv.addFormat('repo.nwo', /^[^/]+\/[^/]+$/);
    const check = schemas.validator('mixed', () => ({
      type: 'object',
      'x-go-name': 'Mixed',
      properties: {
        at: { type: 'string', format: 'date-time' },
        repo: { type: 'string', format: 'repo.nwo' },
        other: { type: 'string', format: 'made-up' },
      },
    }));
    expect(check({ at: '2025-06-01T12:00:00Z', repo: 'acme/gitops', other: 'anything' })).toBe(true);
    expect(check({ at: 'yesterday', repo: 'acme' })).toBe(false);
    expect(check.errors?.map(describeSchemaError)).toEqual([
      '/at must match format "date-time"',
      '/repo must match format "repo.nwo"',
    ]);
  });

  it('checks against shared definitions added before the first check', () => {
    const schemas = new LazySchemas();
    schemas.ajv.addSchema({ $id: 'defs.json', definitions: { name: { type: 'string', minLength: 1 } } });
    const check = schemas.validator('named', () => ({ $ref: 'defs.json#/definitions/name' }));
    expect([check('flask-app'), check('')]).toEqual([true, false]);
  });
});
