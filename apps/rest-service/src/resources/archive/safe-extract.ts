import { createReadStream, createWriteStream, mkdirSync, WriteStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { Duplex, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Parser, ReadEntry } from 'tar';
import unbzip2 from 'unbzip2-stream';
import * as yauzl from 'yauzl';
import { ArchiveFormat } from './archive-format';

/** An archive we refuse to unpack: unsafe, malformed, too big, or not shaped as expected. */
export class ArchiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArchiveError';
  }
}

export interface ExtractLimits {
  /** Largest total of file bytes written; counted while streaming, headers are not trusted. */
  maxUnpackedBytes: number;
  /** Most entries (files and folders) an archive may hold. */
  maxEntries?: number;
  /**
   * Accept files and several folders at the archive's top (plugin zips hold their files there).
   * Default: the archive must hold exactly one top-level folder, as blueprint archives do.
   */
  allowFilesAtTop?: boolean;
}

export interface ExtractedArchive {
  /**
   * The single top-level folder the archive holds. With `allowFilesAtTop`: that folder when the
   * archive holds nothing else at its top, else `''` (the destination itself is the root).
   */
  topLevel: string;
  /** Bytes of file content written. */
  bytes: number;
}

const DEFAULT_MAX_ENTRIES = 20_000;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

/**
 * An entry's path made relative and safe: no absolute paths (POSIX or drive letters), no `..`
 * segments, no NUL; `.` and empty segments dropped. `undefined` for the archive root itself.
 */
export function safeEntryPath(raw: string): string | undefined {
  if (raw.includes('\0')) throw new ArchiveError(`Archive entry name contains a NUL byte`);
  if (/^([/\\]|[A-Za-z]:)/.test(raw)) {
    throw new ArchiveError(`Archive entry \`${raw}\` has an absolute path`);
  }
  const segments = raw.split(/[/\\]/).filter((part) => part !== '' && part !== '.');
  if (segments.includes('..')) {
    throw new ArchiveError(`Archive entry \`${raw}\` points outside the archive folder`);
  }
  return segments.length ? segments.join('/') : undefined;
}

/** File mode to write: only the executable bit of the archive's mode survives. */
function fileMode(mode: number | undefined): number {
  return mode !== undefined && (mode & 0o111) !== 0 ? 0o755 : 0o644;
}

/**
 * Writes entries under `dest`, enforcing the byte and entry budgets and that every target stays
 * inside `dest`. Links and special files are never created, so nothing written can redirect a
 * later entry elsewhere.
 */
class EntrySink {
  private bytes = 0;
  private entries = 0;
  private readonly topLevels = new Set<string>();
  private filesAtTop = false;
  private readonly writers = new Set<WriteStream>();
  private readonly maxEntries: number;

  constructor(
    private readonly dest: string,
    private readonly limits: ExtractLimits,
  ) {
    this.maxEntries = limits.maxEntries ?? DEFAULT_MAX_ENTRIES;
  }

  /** Validates an entry and returns its absolute target, or undefined for the root itself. */
  target(rawPath: string, kind: 'file' | 'directory'): string | undefined {
    if (++this.entries > this.maxEntries) {
      throw new ArchiveError(`Archive holds more than ${this.maxEntries} entries`);
    }
    const path = safeEntryPath(rawPath);
    if (path === undefined) return undefined;
    const [top, ...rest] = path.split('/');
    if (kind === 'file' && rest.length === 0) {
      if (!this.limits.allowFilesAtTop) {
        throw new ArchiveError(
          'Archive must contain exactly 1 directory (found a file at its top)',
        );
      }
      this.filesAtTop = true;
    } else this.topLevels.add(top);
    if (this.topLevels.size > 1 && !this.limits.allowFilesAtTop) {
      throw new ArchiveError('Archive must contain exactly 1 directory');
    }
    const target = resolve(this.dest, path);
    if (!target.startsWith(this.dest + sep)) {
      throw new ArchiveError(`Archive entry \`${rawPath}\` points outside the archive folder`);
    }
    return target;
  }

  /** Counts streamed bytes; throws once the unpacked total passes the limit. */
  count(length: number): void {
    this.bytes += length;
    if (this.bytes > this.limits.maxUnpackedBytes) {
      throw new ArchiveError(
        `Archive unpacks to more than ${formatBytes(this.limits.maxUnpackedBytes)}`,
      );
    }
  }

  makeDirectory(target: string): void {
    mkdirSync(target, { recursive: true });
  }

  openFile(target: string, mode: number | undefined): WriteStream {
    mkdirSync(resolve(target, '..'), { recursive: true });
    const writer = createWriteStream(target, { mode: fileMode(mode) });
    this.writers.add(writer);
    writer.once('close', () => this.writers.delete(writer));
    return writer;
  }

  /** Waits until every file written so far is closed (after success or destruction). */
  async settle(destroy: boolean): Promise<void> {
    await Promise.all(
      [...this.writers].map(
        (writer) =>
          new Promise<void>((done) => {
            if (writer.closed) return done();
            writer.once('close', () => done());
            if (destroy) writer.destroy();
          }),
      ),
    );
  }

  result(): ExtractedArchive {
    if (this.limits.allowFilesAtTop) {
      const single = this.topLevels.size === 1 && !this.filesAtTop;
      return { topLevel: single ? [...this.topLevels][0] : '', bytes: this.bytes };
    }
    const [topLevel] = [...this.topLevels];
    if (topLevel === undefined) throw new ArchiveError('Archive must contain exactly 1 directory');
    return { topLevel, bytes: this.bytes };
  }
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

/** Rejects once, runs cleanup first: the first error wins, later ones are ignored. */
class Outcome<T> {
  private settled = false;
  readonly promise: Promise<T>;
  private resolveFn!: (value: T) => void;
  private rejectFn!: (error: unknown) => void;

  constructor(private readonly cleanup: () => Promise<void>) {
    this.promise = new Promise<T>((resolvePromise, rejectPromise) => {
      this.resolveFn = resolvePromise;
      this.rejectFn = rejectPromise;
    });
  }

  get done(): boolean {
    return this.settled;
  }

  succeed(value: T): void {
    if (this.settled) return;
    this.settled = true;
    this.resolveFn(value);
  }

  fail(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    void this.cleanup().finally(() => this.rejectFn(asArchiveError(error)));
  }
}

function asArchiveError(error: unknown): Error {
  if (error instanceof ArchiveError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ArchiveError(`Invalid archive: ${message}`);
}

function tarEntryKind(entry: ReadEntry): 'file' | 'directory' {
  switch (entry.type) {
    case 'File':
    case 'OldFile':
    case 'ContiguousFile':
      return 'file';
    case 'Directory':
    case 'GNUDumpDir':
      return 'directory';
    case 'SymbolicLink':
    case 'Link':
      throw new ArchiveError(`Archive entry \`${entry.path}\` is a link; links are not allowed`);
    default:
      throw new ArchiveError(
        `Archive entry \`${entry.path}\` is a ${entry.type} entry; only files and folders are allowed`,
      );
  }
}

function extractTar(
  file: string,
  format: 'tar' | 'tar.gz' | 'tar.bz2',
  sink: EntrySink,
): Promise<void> {
  const source = createReadStream(file);
  const stages: Array<{ destroy(): void }> = [source];
  const parser = new Parser({ strict: true });
  const outcome = new Outcome<void>(async () => {
    for (const stage of stages) stage.destroy();
    parser.abort(new ArchiveError('extraction stopped'));
    await sink.settle(true);
  });
  const guard =
    <A extends unknown[]>(fn: (...args: A) => void) =>
    (...args: A) => {
      if (outcome.done) return;
      try {
        fn(...args);
      } catch (error) {
        outcome.fail(error);
      }
    };

  parser.on(
    'entry',
    guard((entry: ReadEntry) => {
      const kind = tarEntryKind(entry);
      const target = sink.target(entry.path, kind);
      if (!target || kind === 'directory') {
        if (target) sink.makeDirectory(target);
        entry.resume();
        return;
      }
      const writer = sink.openFile(target, entry.mode);
      writer.on('error', (error) => outcome.fail(error));
      entry.on(
        'data',
        guard((chunk: Buffer) => sink.count(chunk.length)),
      );
      entry.pipe(writer);
    }),
  );
  parser.on('error', (error: Error) => outcome.fail(error));
  parser.on('end', () => {
    void sink.settle(false).then(() => outcome.succeed());
  });
  source.on('error', (error) => outcome.fail(error));

  let tail: Readable = source;
  if (format !== 'tar') {
    const decompress: Duplex = format === 'tar.gz' ? createGunzip() : unbzip2();
    decompress.on('error', (error: Error) => outcome.fail(error));
    stages.push(decompress);
    tail = tail.pipe(decompress);
  }
  tail.pipe(parser as unknown as NodeJS.WritableStream);
  return outcome.promise;
}

function zipEntryKind(entry: yauzl.Entry, name: string): 'file' | 'directory' {
  const type = (entry.externalFileAttributes >>> 16) & S_IFMT;
  if (type === S_IFLNK)
    throw new ArchiveError(`Archive entry \`${name}\` is a link; links are not allowed`);
  if (name.endsWith('/') || type === S_IFDIR) return 'directory';
  if (type !== 0 && type !== S_IFREG) {
    throw new ArchiveError(
      `Archive entry \`${name}\` is a special file; only files and folders are allowed`,
    );
  }
  return 'file';
}

/** Entry names as stored (we validate them ourselves instead of yauzl's own checks). */
function zipEntryName(entry: yauzl.Entry): string {
  const raw = entry.fileName as unknown as Buffer;
  const utf8 = (entry.generalPurposeBitFlag & 0x800) !== 0;
  return raw.toString(utf8 ? 'utf8' : 'latin1');
}

function extractZip(file: string, sink: EntrySink): Promise<void> {
  let zip: yauzl.ZipFile | undefined;
  let current: Readable | undefined;
  const outcome = new Outcome<void>(async () => {
    current?.destroy();
    zip?.close();
    await sink.settle(true);
  });
  const fail = (error: unknown) => outcome.fail(error);

  const onEntry = (entry: yauzl.Entry) => {
    const name = zipEntryName(entry);
    const kind = zipEntryKind(entry, name);
    const target = sink.target(name, kind);
    if (!target || kind === 'directory') {
      if (target) sink.makeDirectory(target);
      zip?.readEntry();
      return;
    }
    zip?.openReadStream(entry, (error, stream) => {
      if (error || outcome.done) return fail(error ?? new ArchiveError('extraction stopped'));
      current = stream;
      const mode = (entry.externalFileAttributes >>> 16) & 0o777;
      const writer = sink.openFile(target, mode || undefined);
      writer.on('error', fail);
      stream.on('error', fail);
      stream.on('data', (chunk: Buffer) => {
        try {
          sink.count(chunk.length);
        } catch (limit) {
          fail(limit);
        }
      });
      writer.on('close', () => {
        if (!outcome.done) zip?.readEntry();
      });
      stream.pipe(writer);
    });
  };

  yauzl.open(
    file,
    { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: true },
    (error, opened) => {
      if (error || !opened) return fail(error ?? new ArchiveError('cannot open zip archive'));
      zip = opened;
      opened.on('error', fail);
      opened.on('entry', (entry: yauzl.Entry) => {
        if (outcome.done) return;
        try {
          onEntry(entry);
        } catch (failure) {
          fail(failure);
        }
      });
      opened.on('end', () => {
        void sink.settle(false).then(() => outcome.succeed());
      });
      opened.readEntry();
    },
  );
  return outcome.promise;
}

/**
 * Unpacks an archive into `dest` (an existing, empty folder) refusing anything unsafe: absolute
 * paths, `..` traversal, links, device files and FIFOs, more than one top-level folder, files at
 * the top, more than `maxEntries` entries, and — counted while streaming — more than
 * `maxUnpackedBytes` of content. Throws ArchiveError; on failure `dest` may hold partial output
 * that the caller removes (nothing is ever written outside it).
 */
export async function extractArchive(
  file: string,
  format: ArchiveFormat,
  dest: string,
  limits: ExtractLimits,
): Promise<ExtractedArchive> {
  const root = resolve(dest);
  if ((await readdir(root)).length) throw new Error(`extraction folder ${root} is not empty`);
  const sink = new EntrySink(root, limits);
  if (format === 'zip') await extractZip(file, sink);
  else await extractTar(file, format, sink);
  return sink.result();
}
