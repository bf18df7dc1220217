import { checkSchema, InvalidSchemaError, schemaViolation } from './json-schema';

describe('secret JSON schemas', () => {
  const schema = {
    type: 'object',
    required: ['host', 'port'],
    additionalProperties: false,
    properties: {
      host: { type: 'string', minLength: 1 },
      port: { type: 'integer', minimum: 1, maximum: 65535 },
      tags: { type: 'array', items: { type: 'string' }, maxItems: 2 },
      mode: { enum: ['a', 'b'] },
    },
  };

  it('accepts a conforming value', () => {
    expect(
      schemaViolation({ host: 'h', port: 80, tags: ['x'], mode: 'a' }, schema),
    ).toBeUndefined();
  });

  it.each([
    [{ host: 'h' }, /'port' is a required property/],
    [{ host: 'h', port: '80' }, /"80" is not of type 'integer' at .port/],
    [{ host: 'h', port: 70000 }, /greater than the maximum/],
    [{ host: '', port: 1 }, /too short at .host/],
    [{ host: 'h', port: 1, extra: 1 }, /'extra' was unexpected/],
    [{ host: 'h', port: 1, tags: [1] }, /is not of type 'string' at .tags\[0\]/],
    [{ host: 'h', port: 1, mode: 'c' }, /is not one of/],
    ['text', /is not of type 'object'/],
  ])('reports %j', (value, message) => {
    expect(schemaViolation(value, schema)).toMatch(message);
  });

  it('tells integers from other numbers and honours type lists', () => {
    expect(schemaViolation(1.5, { type: 'integer' })).toBeDefined();
    expect(schemaViolation(2, { type: 'number' })).toBeUndefined();
    expect(schemaViolation(null, { type: ['string', 'null'] })).toBeUndefined();
    expect(schemaViolation('abc', { type: 'string', pattern: '^a' })).toBeUndefined();
    expect(schemaViolation('xbc', { type: 'string', pattern: '^a' })).toMatch(/does not match/);
  });

  it('refuses malformed schemas', () => {
    expect(() => checkSchema([])).toThrow(InvalidSchemaError);
    expect(() => checkSchema({ type: 'text' })).toThrow(/not a valid type/);
    expect(() => checkSchema({ properties: { a: { type: 'nope' } } })).toThrow(InvalidSchemaError);
    expect(() => checkSchema(schema)).not.toThrow();
  });
});
