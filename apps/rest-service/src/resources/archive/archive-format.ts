import { open } from 'node:fs/promises';

/** The archive kinds Cloudify accepts for blueprints, named as its file extensions. */
export type ArchiveFormat = 'tar' | 'tar.gz' | 'tar.bz2' | 'zip';

/** As Cloudify prints them in its "unrecognized format" message (a Python tuple). */
export const SUPPORTED_ARCHIVE_TYPES = "('zip', 'tar', 'tar.gz', 'tar.bz2')";

/** Bytes needed to recognise every format: a tar header's `ustar` magic sits at offset 257. */
const SNIFF_BYTES = 512;

/**
 * Recognises an archive by its first bytes, never by its name: gzip and bzip2 streams are taken
 * to hold a tar (the extractor finds out if they do not), zip by its local-header or
 * empty-archive signature, tar by the `ustar` magic.
 */
export function detectArchiveFormat(head: Buffer): ArchiveFormat | undefined {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'tar.gz';
  if (
    head.length >= 4 &&
    head.toString('latin1', 0, 3) === 'BZh' &&
    /[1-9]/.test(String.fromCharCode(head[3]))
  )
    return 'tar.bz2';
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b) {
    const signature = head.readUInt16LE(2);
    if (signature === 0x0403 || signature === 0x0605) return 'zip';
  }
  if (head.length >= 262 && head.toString('latin1', 257, 262) === 'ustar') return 'tar';
  return undefined;
}

/** Reads the first bytes of a file and recognises its archive format. */
export async function detectArchiveFile(path: string): Promise<ArchiveFormat | undefined> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0);
    return detectArchiveFormat(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}
