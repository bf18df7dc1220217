import { randomBytes } from 'node:crypto';

/** Makes a new id for an instance of the node (or group) named `prefix`: `<prefix>_<suffix>`. */
export type NewInstanceId = (prefix: string) => string;

const SUFFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const SUFFIX_LENGTH = 6;
// The largest multiple of the alphabet size below 256: bytes above it are skipped so every
// character is equally likely.
const UNBIASED_LIMIT = 256 - (256 % SUFFIX_ALPHABET.length);

// Random bytes are drawn in batches: a plan with ten thousand instances would otherwise make
// ten thousand small calls into the crypto module.
let pool = Buffer.alloc(0);
let poolOffset = 0;

function randomByte(): number {
  if (poolOffset >= pool.length) {
    pool = randomBytes(4096);
    poolOffset = 0;
  }
  const byte = pool[poolOffset];
  poolOffset += 1;
  return byte;
}

/** Cloudify's default: `<prefix>_` followed by six random characters of [a-z0-9]. */
export function randomInstanceId(prefix: string): string {
  let suffix = '';
  while (suffix.length < SUFFIX_LENGTH) {
    const byte = randomByte();
    if (byte < UNBIASED_LIMIT) suffix += SUFFIX_ALPHABET[byte % SUFFIX_ALPHABET.length];
  }
  return `${prefix}_${suffix}`;
}

// A generator that keeps answering with taken ids is a bug of the caller, not bad luck:
// with 36^6 suffixes, a hundred collisions in a row do not happen by chance.
const MAX_ATTEMPTS = 100;

/** Hands out ids that are unique among all ids it has seen (earlier instances included). */
export class InstanceIdAllocator {
  private readonly used: Set<string>;

  constructor(
    private readonly newId: NewInstanceId = randomInstanceId,
    existingIds: Iterable<string> = [],
  ) {
    this.used = new Set(existingIds);
  }

  next(prefix: string): string {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const id = this.newId(prefix);
      if (!this.used.has(id)) {
        this.used.add(id);
        return id;
      }
    }
    throw new Error(`Could not generate a unique instance id for '${prefix}'`);
  }
}
