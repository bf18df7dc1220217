import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ArchiveEntry, buildTar, buildTarGz, buildZip } from '../../../../../test/support/archives';
import { ArchiveFormat, detectArchiveFile } from './archive-format';
import { ArchiveError, extractArchive, safeEntryPath } from './safe-extract';

const FIXTURES = resolve(__dirname, '../../../../../test/fixtures/archives');
const LIMITS = { maxUnpackedBytes: 64 * 1024 };

describe('safeEntryPath', () => {
  it('keeps relative paths and drops `.` and empty segments', () => {
    expect(safeEntryPath('app/blueprint.yaml')).toBe('app/blueprint.yaml');
    expect(safeEntryPath('./app//scripts/./x.sh')).toBe('app/scripts/x.sh');
    expect(safeEntryPath('./')).toBeUndefined();
  });

  it.each(['/etc/passwd', '\\windows', 'C:/x', 'app/../../evil', '..', 'app\\..\\..\\x'])(
    'refuses %j',
    (path) => {
      expect(() => safeEntryPath(path)).toThrow(ArchiveError);
    },
  );
});

describe('extractArchive', () => {
  let work: string;
  let dest: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'nestify-extract-'));
    dest = join(work, 'out');
    mkdirSync(dest);
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  const write = (name: string, bytes: Buffer): string => {
    const path = join(work, name);
    writeFileSync(path, bytes);
    return path;
  };
  const good: ArchiveEntry[] = [
    { name: 'app/', kind: 'dir' },
    { name: 'app/blueprint.yaml', body: 'tosca_definitions_version: cloudify_dsl_1_4\n' },
    { name: 'app/scripts/run.sh', body: 'echo hi\n', mode: 0o755 },
  ];

  it.each<[ArchiveFormat, (entries: ArchiveEntry[]) => Buffer]>([
    ['tar', buildTar],
    ['tar.gz', buildTarGz],
    ['zip', buildZip],
  ])('unpacks a %s archive with one top-level folder', async (format, build) => {
    const file = write(`a.${format}`, build(good));
    expect(await detectArchiveFile(file)).toBe(format);
    const result = await extractArchive(file, format, dest, LIMITS);
    expect(result.topLevel).toBe('app');
    expect(readFileSync(join(dest, 'app/scripts/run.sh'), 'utf8')).toBe('echo hi\n');
    expect(readdirSync(dest)).toEqual(['app']);
  });

  it('unpacks a tar.bz2 archive', async () => {
    const file = join(FIXTURES, 'hello-world.tar.bz2');
    expect(await detectArchiveFile(file)).toBe('tar.bz2');
    const result = await extractArchive(file, 'tar.bz2', dest, LIMITS);
    expect(result.topLevel).toBe('hello-world');
    expect(existsSync(join(dest, 'hello-world/blueprint.yaml'))).toBe(true);
  });

  it('does not recognise other bytes as an archive', async () => {
    expect(await detectArchiveFile(write('x.txt', Buffer.from('just some text')))).toBeUndefined();
  });

  const attacks: Array<[string, ArchiveEntry[], RegExp]> = [
    ['path traversal', [...good, { name: 'app/../../evil', body: 'x' }], /outside the archive/],
    ['an absolute path', [...good, { name: '/tmp/evil-abs', body: 'x' }], /absolute path/],
    [
      'a symlink',
      [...good, { name: 'app/passwd', kind: 'symlink', linkname: '/etc/passwd' }],
      /is a link/,
    ],
    [
      'a hard link',
      [...good, { name: 'app/passwd', kind: 'hardlink', linkname: '/etc/passwd' }],
      /is a link/,
    ],
    ['a device file', [...good, { name: 'app/tty', kind: 'char' }], /only files and folders/],
    ['two top-level folders', [...good, { name: 'other/x', body: 'x' }], /exactly 1 directory/],
    ['a file at the top', [{ name: 'blueprint.yaml', body: 'x' }], /exactly 1 directory/],
    ['an empty archive', [], /exactly 1 directory|Unrecognized archive format/],
  ];

  describe.each<[ArchiveFormat, (entries: ArchiveEntry[]) => Buffer]>([
    ['tar.gz', buildTarGz],
    ['zip', buildZip],
  ])('%s', (format, build) => {
    // Zip has no hard links: a zip entry with a regular-file mode is just a file.
    const cases = attacks.filter(([name]) => format !== 'zip' || name !== 'a hard link');
    it.each(cases)('refuses %s and writes nothing outside', async (_name, entries, message) => {
      const file = write(`evil.${format}`, build(entries));
      await expect(extractArchive(file, format, dest, LIMITS)).rejects.toThrow(message);
      expect(readdirSync(work).sort()).toEqual(['evil.' + format, 'out']);
      expect(existsSync('/tmp/evil-abs')).toBe(false);
    });

    it('stops a bomb once the unpacked total passes the limit', async () => {
      const big = Buffer.alloc(40 * 1024, 0x61);
      const entries = [
        { name: 'app/', kind: 'dir' as const },
        { name: 'app/a', body: big },
        { name: 'app/b', body: big },
      ];
      const file = write(`bomb.${format}`, build(entries));
      await expect(extractArchive(file, format, dest, LIMITS)).rejects.toThrow(
        /unpacks to more than 65536 bytes/,
      );
    });
  });

  it('refuses too many entries', async () => {
    const entries = [
      { name: 'app/', kind: 'dir' as const },
      ...Array.from({ length: 5 }, (_, i) => ({ name: `app/${i}`, body: 'x' })),
    ];
    const file = write('many.tar', buildTar(entries));
    await expect(extractArchive(file, 'tar', dest, { ...LIMITS, maxEntries: 3 })).rejects.toThrow(
      /more than 3 entries/,
    );
  });

  it('counts streamed bytes, not what headers claim', async () => {
    // A gzip bomb: 2 MiB of zeros compress to a few KiB.
    const entries = [
      { name: 'app/', kind: 'dir' as const },
      { name: 'app/zeros', body: Buffer.alloc(2 * 1024 * 1024) },
    ];
    const file = write('zeros.tar.gz', buildTarGz(entries));
    await expect(extractArchive(file, 'tar.gz', dest, LIMITS)).rejects.toThrow(/unpacks to more/);
  });

  it('with allowFilesAtTop, accepts files and folders at the top and says there is no single folder', async () => {
    const entries: ArchiveEntry[] = [
      { name: 'plugin.yaml', body: 'plugins: {}\n' },
      { name: 'docs/readme.md', body: 'hi' },
    ];
    const file = write('flat.zip', buildZip(entries));
    const result = await extractArchive(file, 'zip', dest, { ...LIMITS, allowFilesAtTop: true });
    expect(result.topLevel).toBe('');
    expect(readdirSync(dest).sort()).toEqual(['docs', 'plugin.yaml']);
  });

  it('with allowFilesAtTop, still names a lone top folder and still refuses traversal', async () => {
    const lone = write('lone.tar.gz', buildTarGz(good));
    const options = { ...LIMITS, allowFilesAtTop: true };
    expect((await extractArchive(lone, 'tar.gz', dest, options)).topLevel).toBe('app');
    const evil = write('evil.zip', buildZip([{ name: '../evil', body: 'x' }]));
    const other = join(work, 'other');
    mkdirSync(other);
    await expect(extractArchive(evil, 'zip', other, options)).rejects.toThrow(
      /outside the archive/,
    );
  });

  it('refuses a corrupt archive with an ArchiveError', async () => {
    const file = write('bad.tar.gz', Buffer.from([0x1f, 0x8b, 1, 2, 3, 4, 5]));
    await expect(extractArchive(file, 'tar.gz', dest, LIMITS)).rejects.toThrow(ArchiveError);
  });
});
