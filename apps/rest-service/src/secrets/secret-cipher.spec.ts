import { randomBytes } from 'node:crypto';
import { SecretCipher, SecretDecryptionError } from './secret-cipher';

describe('SecretCipher', () => {
  const cipher = new SecretCipher(randomBytes(32));

  it('round-trips text, including empty and non-ASCII values', () => {
    for (const value of ['s3cr3t', '', 'пароль ✓', JSON.stringify({ a: [1, 2] })]) {
      expect(cipher.decrypt(cipher.encrypt(value))).toBe(value);
    }
  });

  it('writes a self-describing v1 string that does not contain the plaintext', () => {
    const sealed = cipher.encrypt('plain-value');
    expect(sealed).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]*$/);
    expect(sealed).not.toContain('plain-value');
    const [, iv, tag] = sealed.split(':');
    expect(Buffer.from(iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(tag, 'base64')).toHaveLength(16);
  });

  it('uses a fresh IV for every value', () => {
    expect(cipher.encrypt('same')).not.toBe(cipher.encrypt('same'));
  });

  it('detects tampering with the ciphertext, the tag or the IV', () => {
    const [version, iv, tag, data] = cipher.encrypt('do not touch').split(':');
    const flip = (part: string) => {
      const bytes = Buffer.from(part, 'base64');
      bytes[0] ^= 1;
      return bytes.toString('base64');
    };
    for (const altered of [
      [version, iv, tag, flip(data)],
      [version, iv, flip(tag), data],
      [version, flip(iv), tag, data],
    ]) {
      expect(() => cipher.decrypt(altered.join(':'))).toThrow(SecretDecryptionError);
    }
  });

  it('refuses a value sealed with another key', () => {
    const other = new SecretCipher(randomBytes(32));
    expect(() => cipher.decrypt(other.encrypt('x'))).toThrow(SecretDecryptionError);
  });

  it('refuses unknown formats and keys of the wrong size', () => {
    expect(() => cipher.decrypt('gAAAAABl-fernet-token')).toThrow(/Unknown secret value format/);
    expect(() => cipher.decrypt('v1:AAAA:AAAA:AAAA')).toThrow(/Malformed/);
    expect(() => new SecretCipher(randomBytes(16))).toThrow(/32 bytes/);
  });
});
