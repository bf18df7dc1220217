import { PassphraseCipher, PassphraseDecryptionError } from './passphrase-cipher';

describe('PassphraseCipher', () => {
  it('opens what another cipher with the same passphrase sealed', () => {
    const sealed = new PassphraseCipher('correct horse').encrypt('s3cr3t');
    expect(sealed).not.toContain('s3cr3t');
    expect(new PassphraseCipher('correct horse').decrypt(sealed)).toBe('s3cr3t');
  });

  it('refuses a wrong passphrase and altered values', () => {
    const sealed = new PassphraseCipher('correct horse').encrypt('s3cr3t');
    expect(() => new PassphraseCipher('wrong').decrypt(sealed)).toThrow(PassphraseDecryptionError);
    const altered = `${sealed.slice(0, -2)}AA`;
    expect(() => new PassphraseCipher('correct horse').decrypt(altered)).toThrow(
      PassphraseDecryptionError,
    );
    expect(() => new PassphraseCipher('x').decrypt('plain')).toThrow(PassphraseDecryptionError);
  });
});
