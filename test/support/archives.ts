import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * Archive builders for tests: raw tar and zip bytes written by hand, so a test can also make the
 * malicious entries (absolute paths, `..`, links, devices) that real archivers refuse to write.
 */
export type EntryKind = 'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'fifo';

export interface ArchiveEntry {
  name: string;
  body?: Buffer | string;
  kind?: EntryKind;
  linkname?: string;
  mode?: number;
}

const TAR_TYPE: Record<EntryKind, string> = {
  file: '0',
  hardlink: '1',
  symlink: '2',
  char: '3',
  dir: '5',
  fifo: '6',
};

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function tarHeader(entry: ArchiveEntry, size: number): Buffer {
  const header = Buffer.alloc(512);
  const kind = entry.kind ?? 'file';
  header.write(entry.name, 0, 100, 'utf8');
  header.write(octal(entry.mode ?? (kind === 'dir' ? 0o755 : 0o644), 8), 100, 'latin1');
  header.write(octal(0, 8), 108, 'latin1');
  header.write(octal(0, 8), 116, 'latin1');
  header.write(octal(size, 12), 124, 'latin1');
  header.write(octal(Math.floor(Date.now() / 1000), 12), 136, 'latin1');
  header.write('        ', 148, 'latin1');
  header.write(TAR_TYPE[kind], 156, 'latin1');
  header.write(entry.linkname ?? '', 157, 100, 'utf8');
  header.write('ustar\0' + '00', 257, 'latin1');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(octal(sum, 7) + ' ', 148, 'latin1');
  return header;
}

/** A tar archive (uncompressed) of the entries, in order. */
export function buildTar(entries: ArchiveEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const body = Buffer.from(entry.body ?? '');
    const kind = entry.kind ?? 'file';
    const size = kind === 'file' ? body.length : 0;
    blocks.push(tarHeader(entry, size));
    if (size) {
      blocks.push(body, Buffer.alloc((512 - (size % 512)) % 512));
    }
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

export function buildTarGz(entries: ArchiveEntry[]): Buffer {
  return gzipSync(buildTar(entries));
}

/** CRC-32 (IEEE) as zip stores it; zlib.crc32 needs Node 20.15+, we support 20.11. */
function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const ZIP_MODE: Record<EntryKind, number> = {
  file: 0o100644,
  dir: 0o040755,
  symlink: 0o120777,
  hardlink: 0o100644,
  char: 0o020644,
  fifo: 0o010644,
};

/** A zip archive of the entries (stored, no compression); symlinks carry their target as body. */
export function buildZip(entries: ArchiveEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const kind = entry.kind ?? 'file';
    const name = Buffer.from(
      kind === 'dir' && !entry.name.endsWith('/') ? `${entry.name}/` : entry.name,
    );
    const body = Buffer.from(kind === 'symlink' ? (entry.linkname ?? '') : (entry.body ?? ''));
    const crc = crc32(body);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(body.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(body.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((entry.mode ?? ZIP_MODE[kind]) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Every file and folder under `dir`, named `<top>/<relative path>`. */
export function folderEntries(dir: string, top: string): ArchiveEntry[] {
  const entries: ArchiveEntry[] = [{ name: `${top}/`, kind: 'dir' }];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) entries.push(...folderEntries(path, `${top}/${name}`));
    else entries.push({ name: `${top}/${name}`, body: readFileSync(path) });
  }
  return entries;
}
