import {
  infoFromPackageJson,
  infoFromPluginYaml,
  infoFromWagonMetadata,
  mainPluginEntry,
  npmArchiveName,
  pickYamlFile,
  readPluginYaml,
} from './plugin-package';
import { InvalidPluginError } from './plugin-errors';

const YAML = `plugins:
  demo:
    executor: central_deployment_agent
    package_name: nestify-demo-plugin
    package_version: '1.2.0'
node_types:
  demo.Thing:
    derived_from: cloudify.nodes.Root
`;

describe('readPluginYaml', () => {
  it('reads the plugins section', () => {
    const yaml = readPluginYaml(YAML);
    expect(Object.keys(yaml.plugins)).toEqual(['demo']);
    expect(yaml.plugins.demo.executor).toBe('central_deployment_agent');
  });

  it.each([
    ['not YAML', 'plugins: [unclosed', /not valid YAML/],
    ['not a mapping', '- a\n- b\n', /must be a YAML mapping/],
    ['no plugins section', 'node_types: {}\n', /declares no plugins/],
    ['an empty plugins section', 'plugins: {}\n', /declares no plugins/],
    ['a plugin that is not a mapping', 'plugins:\n  demo: 3\n', /must be a mapping/],
    ['duplicate keys', 'plugins:\n  a: {}\n  a: {}\n', /not valid YAML/],
  ])('refuses %s', (_name, text, message) => {
    expect(() => readPluginYaml(text)).toThrow(InvalidPluginError);
    expect(() => readPluginYaml(text)).toThrow(message);
  });
});

describe('package metadata', () => {
  it('takes a yaml-only plugin from its main entry', () => {
    expect(infoFromPluginYaml(readPluginYaml(YAML))).toMatchObject({
      packageName: 'nestify-demo-plugin',
      packageVersion: '1.2.0',
      supportedPlatform: 'any',
      wheels: [],
      distribution: null,
    });
  });

  it('falls back to the plugin name and prefers the entry that names a package', () => {
    const bare = readPluginYaml('plugins:\n  bare:\n    executor: central_deployment_agent\n');
    expect(infoFromPluginYaml(bare)).toMatchObject({ packageName: 'bare', packageVersion: null });
    const two = readPluginYaml(
      'plugins:\n  first: {executor: host_agent}\n  second: {package_name: pkg, package_version: 2}\n',
    );
    expect(mainPluginEntry(two).name).toBe('second');
    expect(infoFromPluginYaml(two).packageVersion).toBe('2');
  });

  it('reads package.json of an npm plugin', () => {
    expect(
      infoFromPackageJson(JSON.stringify({ name: '@acme/nestify-demo', version: '0.3.1' })),
    ).toMatchObject({ packageName: '@acme/nestify-demo', packageVersion: '0.3.1' });
    expect(npmArchiveName('@acme/nestify-demo', '0.3.1')).toBe('acme-nestify-demo-0.3.1.tgz');
  });

  it.each([
    ['not JSON', '{', /not valid JSON/],
    ['an array', '[]', /JSON object/],
    ['no name', '{"version": "1.0.0"}', /name the package/],
    ['no version', '{"name": "x"}', /version/],
  ])('refuses a package.json with %s', (_name, text, message) => {
    expect(() => infoFromPackageJson(text)).toThrow(message);
  });

  it('reads wagon metadata', () => {
    const metadata = {
      package_name: 'cloudify-demo-plugin',
      package_version: '3.0',
      package_source: 'cloudify-demo-plugin==3.0',
      supported_platform: 'manylinux',
      supported_python_versions: ['py36'],
      build_server_os_properties: {
        distribution: 'centos',
        distribution_version: '7',
        distribution_release: 'core',
      },
      wheels: ['a.whl'],
      excluded_wheels: [],
    };
    expect(infoFromWagonMetadata(JSON.stringify(metadata))).toEqual({
      packageName: 'cloudify-demo-plugin',
      packageVersion: '3.0',
      packageSource: 'cloudify-demo-plugin==3.0',
      supportedPlatform: 'manylinux',
      supportedPyVersions: ['py36'],
      distribution: 'centos',
      distributionVersion: '7',
      distributionRelease: 'core',
      wheels: ['a.whl'],
      excludedWheels: [],
    });
  });
});

describe('pickYamlFile', () => {
  const names = ['plugin.yaml', 'plugin_1_4.yaml', 'plugin_1_5.yaml', 'demo.wgn'];

  it('takes the asked DSL version, else the highest not above it, else the unversioned yaml', () => {
    expect(pickYamlFile(names, 'cloudify_dsl_1_4')).toBe('plugin_1_4.yaml');
    expect(pickYamlFile(names)).toBe('plugin_1_5.yaml');
    expect(pickYamlFile(['plugin_1_5.yaml', 'plugin.yaml'], 'cloudify_dsl_1_3')).toBe(
      'plugin.yaml',
    );
    expect(pickYamlFile(['other.yaml', 'plugin.yaml'])).toBe('plugin.yaml');
    expect(pickYamlFile(['demo.wgn'])).toBeUndefined();
  });
});
