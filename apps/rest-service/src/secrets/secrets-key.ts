import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';

const KEY_BYTES = 32;

/** Where the key comes from: SECRETS_KEY, or a file generated on first start. */
export interface SecretsKeySource {
  key?: Buffer;
  keyFile: string;
}

/**
 * The key that encrypts secret values: the configured one, else the one in `keyFile`, created
 * there on first use (32 random bytes, base64, mode 0600). Creation never overwrites: the key is
 * written to a private temp file and hard-linked into place, so when several processes start at
 * once exactly one link wins and everyone then reads the same key.
 */
export async function loadSecretsKey(source: SecretsKeySource): Promise<Buffer> {
  if (source.key) return checkKey(source.key, 'SECRETS_KEY');
  const existing = await readKeyFile(source.keyFile);
  if (existing) return existing;
  await createKeyFile(source.keyFile);
  const created = await readKeyFile(source.keyFile);
  if (!created) throw new Error(`The secrets key file ${source.keyFile} vanished after creation`);
  return created;
}

async function readKeyFile(path: string): Promise<Buffer | undefined> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return checkKey(Buffer.from(text.trim(), 'base64'), path);
}

async function createKeyFile(path: string): Promise<void> {
  await fs.mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await fs.writeFile(temp, `${randomBytes(KEY_BYTES).toString('base64')}\n`, {
    mode: 0o600,
    flag: 'wx',
  });
  try {
    await fs.link(temp, path);
  } catch (error) {
    // Another process created the key first: keep its key.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await fs.rm(temp, { force: true });
  }
}

function checkKey(key: Buffer, origin: string): Buffer {
  if (key.length !== KEY_BYTES) {
    throw new Error(`The secrets key from ${origin} must be ${KEY_BYTES} bytes, got ${key.length}`);
  }
  return key;
}
