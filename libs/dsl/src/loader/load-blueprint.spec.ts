import { DslError } from '../errors';
import { ImportSources } from './import-sources';
import { loadBlueprint } from './load-blueprint';

/** Import sources backed by an in-memory map of files. */
function files(map: Record<string, string>): ImportSources {
  return {
    readFile: async (path) => {
      if (!(path in map)) throw new Error(`ENOENT: no such file ${path}`);
      return map[path];
    },
  };
}

async function dslErrorOf(work: Promise<unknown>): Promise<DslError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof DslError) return error;
    throw error;
  }
  throw new Error('expected a DslError');
}

const V13 = 'tosca_definitions_version: cloudify_dsl_1_3\n';

describe('loadBlueprint', () => {
  it('names file, line and column of invalid YAML', async () => {
    const error = await dslErrorOf(
      loadBlueprint(`${V13}node_templates:\n  a: [1, 2\n`, '/bp/main.yaml'),
    );
    expect(error.location?.file).toBe('/bp/main.yaml');
    expect(error.location?.line).toBeGreaterThanOrEqual(3);
    expect(error.describe()).toMatch(/^\/bp\/main\.yaml:\d+:\d+: invalid YAML/);
  });

  it('refuses duplicate keys and unknown top-level sections', async () => {
    await expect(loadBlueprint(`${V13}inputs: {}\ninputs: {}\n`, 'm.yaml')).rejects.toThrow(
      /invalid YAML/,
    );
    const error = await dslErrorOf(loadBlueprint(`${V13}node_templatez: {}\n`, 'm.yaml'));
    expect(error.path).toBe('node_templatez');
    expect(error.location?.line).toBe(2);
  });

  it('refuses unsupported versions with code 29', async () => {
    const error = await dslErrorOf(
      loadBlueprint('tosca_definitions_version: cloudify_dsl_2_0\n', 'm.yaml'),
    );
    expect(error.code).toBe(29);
  });

  it('merges relative imports; identical duplicates are fine, different ones are code 4', async () => {
    const sources = files({
      '/bp/types.yaml': `${V13}node_types:\n  my.Type: {derived_from: cloudify.nodes.Root}\n`,
      '/bp/same.yaml': `${V13}node_types:\n  my.Type: {derived_from: cloudify.nodes.Root}\n`,
      '/bp/other.yaml': `${V13}node_types:\n  my.Type:\n    derived_from: cloudify.nodes.Compute\n`,
    });
    const ok = await loadBlueprint(
      `${V13}imports: [cloudify/types/types.yaml, types.yaml, same.yaml]\n`,
      '/bp/main.yaml',
      sources,
    );
    expect(Object.keys(ok.sections.node_types as object)).toContain('my.Type');
    expect(Object.keys(ok.sections.node_types as object)).toContain('cloudify.nodes.Compute');
    expect(ok.sections.metadata).toEqual({ cloudify_types: true });

    const error = await dslErrorOf(
      loadBlueprint(`${V13}imports: [types.yaml, other.yaml]\n`, '/bp/main.yaml', sources),
    );
    expect(error.code).toBe(4);
    expect(error.path).toBe('node_types.my.Type');
    expect(error.location).toEqual({ file: '/bp/other.yaml', line: 3, column: 3 });
  });

  it('refuses an import that declares a newer DSL version (code 102)', async () => {
    const sources = files({ '/bp/new.yaml': 'tosca_definitions_version: cloudify_dsl_1_5\n' });
    const error = await dslErrorOf(
      loadBlueprint(`${V13}imports: [new.yaml]\n`, '/bp/main.yaml', sources),
    );
    expect(error.code).toBe(102);
    expect(error.location?.file).toBe('/bp/new.yaml');
  });

  it('answers the versioned types.yaml URLs of old blueprints with the built-in types, and refuses other URLs offline', async () => {
    const old = await loadBlueprint(
      'tosca_definitions_version: cloudify_dsl_1_0\nimports: [http://www.getcloudify.org/spec/cloudify/3.4/types.yaml]\n',
      'm.yaml',
    );
    expect(Object.keys(old.sections.node_types as object)).toContain('cloudify.nodes.Root');
    const error = await dslErrorOf(
      loadBlueprint(`${V13}imports: [https://example.com/x.yaml]\n`, 'm.yaml'),
    );
    expect(error.message).toMatch(/not available offline/);
    expect(error.path).toBe('imports.0');
  });

  it('resolves plugin: and blueprint: imports through the injected sources', async () => {
    const sources: ImportSources = {
      pluginYaml: async (name, params) =>
        name === 'aws' && params.version === '3.0'
          ? {
              file: 'plugin:aws',
              text: `${V13}plugins:\n  aws: {executor: central_deployment_agent, install: false}\n`,
            }
          : undefined,
      blueprintYaml: async (id) =>
        id === 'net'
          ? { file: 'blueprint:net', text: `${V13}inputs:\n  cidr: {default: 10.0.0.0/24}\n` }
          : undefined,
    };
    const loaded = await loadBlueprint(
      `${V13}imports: ['plugin:aws?version=3.0', 'net--blueprint:net']\n`,
      'm.yaml',
      sources,
    );
    expect(Object.keys(loaded.sections.plugins as object)).toEqual(['aws']);
    expect(Object.keys(loaded.sections.inputs as object)).toEqual(['net--cidr']);
    expect(loaded.importedBlueprints).toEqual(['net']);
    expect(loaded.namespacesMapping).toEqual({ net: 'net' });
    await expect(
      loadBlueprint(`${V13}imports: ['plugin:gcp']\n`, 'm.yaml', sources),
    ).rejects.toThrow(/plugin 'gcp' is not uploaded/);
  });

  it('prefixes what a namespaced import defines and the references to it, but not the built-in types', async () => {
    const sources = files({
      '/bp/net.yaml': `${V13}imports: [cloudify/types/types.yaml]
inputs:
  cidr: {default: 10.0.0.0/24}
node_types:
  net.Network: {derived_from: cloudify.nodes.Network}
node_templates:
  vm: {type: cloudify.nodes.Compute}
  network:
    type: net.Network
    properties: {resource_id: {get_input: cidr}}
    relationships: [{type: cloudify.relationships.connected_to, target: vm}]
`,
    });
    const loaded = await loadBlueprint(`${V13}imports: [n1--net.yaml]\n`, '/bp/main.yaml', sources);
    const templates = loaded.sections.node_templates as Record<string, Record<string, unknown>>;
    expect(Object.keys(templates).sort()).toEqual(['n1--network', 'n1--vm']);
    expect(templates['n1--network']).toEqual({
      type: 'n1--net.Network',
      properties: { resource_id: { get_input: 'n1--cidr' } },
      relationships: [{ type: 'cloudify.relationships.connected_to', target: 'n1--vm' }],
    });
    expect((loaded.sections.node_types as Record<string, unknown>)['n1--net.Network']).toEqual({
      derived_from: 'cloudify.nodes.Network',
    });
    expect(loaded.locate(['node_templates', 'n1--network', 'type'])).toEqual({
      file: '/bp/net.yaml',
      line: 10,
      column: 5,
    });
  });
});

describe('YAML aliases', () => {
  it('refuses an alias that contains itself instead of recursing forever', async () => {
    const error = await loadBlueprint('&a\n  (<<: *a\n', 'cyclic.yaml').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DslError);
    expect((error as DslError).message).toMatch(/alias|YAML/);
  });
});
