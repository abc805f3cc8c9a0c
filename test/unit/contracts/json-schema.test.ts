import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { jsonSchemaOf } from '../../../lambdas/contracts/json-schema';

describe('jsonSchemaOf', () => {
  const schema = z.object({ name: z.string().check(z.maxLength(10)), size: z._default(z.int(), 5) });

  it('leaves the dialect to the enclosing document', () => {
    expect(jsonSchemaOf(schema, 'input')).not.toHaveProperty('$schema');
  });

  it('makes a field with a default optional for input and required for output', () => {
    expect(jsonSchemaOf(schema, 'input')['required']).toEqual(['name']);
    expect(jsonSchemaOf(schema, 'output')['required']).toEqual(['name', 'size']);
  });

  it('describes what a piped transform takes, as input', () => {
    const digits = z.pipe(z.string().check(z.regex(/^\d+$/)), z.transform(Number));

    expect(jsonSchemaOf(digits, 'input')).toEqual({ type: 'string', pattern: '^\\d+$' });
  });

  it('throws for what JSON Schema cannot express, rather than publish less than the code checks', () => {
    expect(() => jsonSchemaOf(z.pipe(z.string(), z.transform(Number)), 'output')).toThrow();
    expect(() => jsonSchemaOf(z.custom<string>(() => true), 'input')).toThrow();
  });

  it('keeps descriptions and formats given with meta', () => {
    const at = z.string().check(z.meta({ description: 'When.', format: 'date-time' }));

    expect(jsonSchemaOf(at, 'output')).toEqual({ type: 'string', description: 'When.', format: 'date-time' });
  });
});
