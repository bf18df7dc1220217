import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';

const VERSION = 'p1';
const SALT_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** An exported value that the passphrase does not open (wrong passphrase, or altered). */
export class PassphraseDecryptionError extends Error {}

/**
 * Seals exported secret values under a passphrase: scrypt derives an AES-256-GCM key from it and
 * a random salt (one per cipher, so one derivation per export), and each value is
 * `p1:<salt>:<iv>:<tag>:<ciphertext>` in base64 parts. Not byte-compatible with Cloudify's Fernet
 * export: a nestify export imports into nestify.
 */
export class PassphraseCipher {
  private readonly salt = randomBytes(SALT_BYTES);
  private readonly keys = new Map<string, Buffer>();

  constructor(private readonly passphrase: string) {}

  encrypt(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keyFor(this.salt), iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [this.salt, iv, cipher.getAuthTag(), ciphertext];
    return [VERSION, ...parts.map((part) => part.toString('base64'))].join(':');
  }

  decrypt(sealed: string): string {
    const parts = sealed.split(':');
    if (parts.length !== 5 || parts[0] !== VERSION) {
      throw new PassphraseDecryptionError('not a value encrypted by a nestify export');
    }
    const [salt, iv, tag, ciphertext] = parts.slice(1).map((part) => Buffer.from(part, 'base64'));
    if (salt.length !== SALT_BYTES || iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
      throw new PassphraseDecryptionError('malformed encrypted value');
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.keyFor(salt), iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new PassphraseDecryptionError('wrong passphrase, or the value was altered');
    }
  }

  private keyFor(salt: Buffer): Buffer {
    const id = salt.toString('base64');
    let key = this.keys.get(id);
    if (!key) {
      key = scryptSync(this.passphrase, salt, 32);
      this.keys.set(id, key);
    }
    return key;
  }
}
