import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSecretsKey } from './secrets-key';

describe('loadSecretsKey', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nestify-key-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('uses the configured key and creates no file', async () => {
    const key = randomBytes(32);
    const keyFile = join(dir, 'secrets.key');
    await expect(loadSecretsKey({ key, keyFile })).resolves.toEqual(key);
    expect(() => statSync(keyFile)).toThrow();
  });

  it('creates a 0600 key file in a new directory once, then keeps reading it', async () => {
    const keyFile = join(dir, 'nested', 'secrets.key');
    const first = await loadSecretsKey({ keyFile });
    expect(first).toHaveLength(32);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    await expect(loadSecretsKey({ keyFile })).resolves.toEqual(first);
  });

  it('gives concurrent first starts one and the same key', async () => {
    const keyFile = join(dir, 'secrets.key');
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadSecretsKey({ keyFile })));
    for (const key of keys) expect(key).toEqual(keys[0]);
  });

  it('refuses a key of the wrong size', async () => {
    const keyFile = join(dir, 'secrets.key');
    writeFileSync(keyFile, randomBytes(16).toString('base64'));
    await expect(loadSecretsKey({ keyFile })).rejects.toThrow(/must be 32 bytes/);
    await expect(loadSecretsKey({ key: randomBytes(8), keyFile })).rejects.toThrow(/SECRETS_KEY/);
  });
});
