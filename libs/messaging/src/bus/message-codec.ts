/** Headers the buses put on a dead-lettered message, so an operator can see why it was rejected. */
export const DEAD_LETTER_HEADERS = {
  reason: 'x-nestify-reason',
  detail: 'x-nestify-detail',
  queue: 'x-nestify-original-queue',
  exchange: 'x-nestify-original-exchange',
  routingKey: 'x-nestify-original-routing-key',
} as const;

export type DecodeResult =
  | { ok: true; body: unknown }
  | { ok: false; reason: 'too_large' | 'malformed_json'; detail: string };

/** Bodies are UTF-8 JSON; a Buffer is taken as already encoded. */
export function encodeBody(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body;
  const text = JSON.stringify(body);
  if (text === undefined) throw new TypeError('message body is not JSON-serialisable');
  return Buffer.from(text, 'utf8');
}

/** Decodes a raw body, refusing what a consumer must never see (too large, not JSON). */
export function decodeBody(raw: Buffer, maxBytes: number, asText = false): DecodeResult {
  if (raw.length > maxBytes) {
    return {
      ok: false,
      reason: 'too_large',
      detail: `body of ${raw.length} bytes exceeds the limit of ${maxBytes}`,
    };
  }
  if (asText) return { ok: true, body: raw.toString('utf8') };
  try {
    return { ok: true, body: JSON.parse(raw.toString('utf8')) };
  } catch (error) {
    return { ok: false, reason: 'malformed_json', detail: (error as Error).message };
  }
}
