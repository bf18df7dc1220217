import { decodeBody, encodeBody } from './message-codec';

describe('message codec', () => {
  it('round-trips JSON and passes buffers through', () => {
    const raw = encodeBody({ a: [1, 'é'] });
    expect(decodeBody(raw, 1024)).toEqual({ ok: true, body: { a: [1, 'é'] } });
    expect(encodeBody(Buffer.from('x'))).toEqual(Buffer.from('x'));
  });

  it('refuses bodies over the limit before parsing them', () => {
    expect(decodeBody(Buffer.alloc(2048, 0x20), 1024)).toMatchObject({
      ok: false,
      reason: 'too_large',
    });
  });

  it('refuses bodies that are not JSON, saying why', () => {
    expect(decodeBody(Buffer.from('{nope'), 1024)).toMatchObject({
      ok: false,
      reason: 'malformed_json',
      detail: expect.stringContaining('JSON'),
    });
  });

  it('can hand over the text as-is', () => {
    expect(decodeBody(Buffer.from('{nope'), 1024, true)).toEqual({ ok: true, body: '{nope' });
  });

  it('refuses to encode what JSON cannot represent', () => {
    expect(() => encodeBody(undefined)).toThrow(/JSON/);
  });
});
