import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { t as listTar } from 'tar';
import { UsageError } from '../inputs';
import { blueprintSource, idFrom } from './blueprint-source';

async function entries(archive: Buffer): Promise<string[]> {
  const names: string[] = [];
  const parser = listTar({ onReadEntry: (entry) => names.push(entry.path) });
  await new Promise<void>((resolve, reject) => {
    Readable.from(archive).pipe(parser).on('end', resolve).on('error', reject);
  });
  return names.sort();
}

describe('blueprintSource', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nestify-bp-source-'));
    mkdirSync(join(dir, 'my app', 'scripts'), { recursive: true });
    writeFileSync(join(dir, 'my app', 'main.yaml'), 'tosca_definitions_version: x\n');
    writeFileSync(join(dir, 'my app', 'scripts', 'run.sh'), 'echo\n');
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("archives a YAML file's folder under one top-level folder", async () => {
    const source = await blueprintSource(join(dir, 'my app', 'main.yaml'));
    expect(source).toMatchObject({
      applicationFileName: 'main.yaml',
      defaultId: 'my-app',
      archiveName: 'my-app.tar.gz',
    });
    expect(await entries(source.archive)).toEqual([
      'my app/',
      'my app/main.yaml',
      'my app/scripts/',
      'my app/scripts/run.sh',
    ]);
  });

  it('needs the blueprint file in a folder', async () => {
    await expect(blueprintSource(join(dir, 'my app'))).rejects.toThrow(UsageError);
    const source = await blueprintSource(join(dir, 'my app'), 'main.yaml');
    expect(source.applicationFileName).toBe('main.yaml');
    await expect(blueprintSource(join(dir, 'nothing'))).rejects.toThrow('no such file');
  });

  it('makes ids Cloudify accepts', () => {
    expect(idFrom('1st blueprint!')).toBe('st-blueprint-');
    expect(idFrom('hello_world.v2')).toBe('hello_world.v2');
    expect(idFrom('123')).toBe('blueprint');
  });
});
