import { createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ArchiveError } from './safe-extract';

const MIB = 1024 * 1024;

/**
 * Streams an uploaded archive (a raw request body) to `path`, failing with an ArchiveError
 * ("<what> is larger than N MiB") once more than `limit` bytes arrived. Errors of the stream
 * itself are thrown as they are; callers map both to their own error body.
 */
export async function receiveArchive(
  body: Readable,
  path: string,
  limit: number,
  what: string,
): Promise<void> {
  let total = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      total += chunk.length;
      if (total > limit) {
        done(new ArchiveError(`${what} is larger than ${Math.floor(limit / MIB)} MiB`));
      } else done(null, chunk);
    },
  });
  await pipeline(body, counter, createWriteStream(path));
}
