import { parse } from 'yaml';
import { BUILTIN_TYPES_IMPORT, builtinTypesYaml } from './builtin-types';

type Dict = Record<string, unknown>;

// Expected names and derivations, transcribed from spec/dsl.md §8.
const NODE_TYPES: Record<string, string | null> = {
  'cloudify.nodes.Root': null,
  'cloudify.nodes.Compute': 'cloudify.nodes.Root',
  'cloudify.nodes.Container': 'cloudify.nodes.Compute',
  'cloudify.nodes.Tier': 'cloudify.nodes.Root',
  'cloudify.nodes.Volume': 'cloudify.nodes.Root',
  'cloudify.nodes.FileSystem': 'cloudify.nodes.Root',
  'cloudify.nodes.ObjectStorage': 'cloudify.nodes.Root',
  'cloudify.nodes.Network': 'cloudify.nodes.Root',
  'cloudify.nodes.Subnet': 'cloudify.nodes.Root',
  'cloudify.nodes.Port': 'cloudify.nodes.Root',
  'cloudify.nodes.Router': 'cloudify.nodes.Root',
  'cloudify.nodes.LoadBalancer': 'cloudify.nodes.Root',
  'cloudify.nodes.VirtualIP': 'cloudify.nodes.Root',
  'cloudify.nodes.SecurityGroup': 'cloudify.nodes.Root',
  'cloudify.nodes.SoftwareComponent': 'cloudify.nodes.Root',
  'cloudify.nodes.DBMS': 'cloudify.nodes.SoftwareComponent',
  'cloudify.nodes.Database': 'cloudify.nodes.Root',
  'cloudify.nodes.WebServer': 'cloudify.nodes.SoftwareComponent',
  'cloudify.nodes.ApplicationServer': 'cloudify.nodes.SoftwareComponent',
  'cloudify.nodes.MessageBusServer': 'cloudify.nodes.SoftwareComponent',
  'cloudify.nodes.ApplicationModule': 'cloudify.nodes.Root',
  'cloudify.nodes.CloudifyManager': 'cloudify.nodes.SoftwareComponent',
  'cloudify.nodes.Component': 'cloudify.nodes.Root',
  'cloudify.nodes.ServiceComponent': 'cloudify.nodes.Component',
  'cloudify.nodes.SharedResource': 'cloudify.nodes.Root',
  'cloudify.nodes.Blueprint': 'cloudify.nodes.Root',
  'cloudify.nodes.PasswordSecret': 'cloudify.nodes.Root',
};

const RELATIONSHIPS: Record<string, string | null> = {
  'cloudify.relationships.depends_on': null,
  'cloudify.relationships.connected_to': 'cloudify.relationships.depends_on',
  'cloudify.relationships.contained_in': 'cloudify.relationships.depends_on',
  'cloudify.relationships.depends_on_lifecycle_operation': 'cloudify.relationships.depends_on',
  'cloudify.relationships.depends_on_shared_resource': 'cloudify.relationships.depends_on',
  'cloudify.relationships.connected_to_shared_resource': 'cloudify.relationships.connected_to',
  'cloudify.relationships.file_system_depends_on_volume': 'cloudify.relationships.depends_on',
  'cloudify.relationships.file_system_contained_in_compute': 'cloudify.relationships.contained_in',
};

// workflow name -> function of default_workflows' cloudify.plugins.workflows module
const WORKFLOWS: Record<string, string> = {
  install: 'install',
  check_status: 'check_status',
  check_drift: 'check_drift',
  uninstall: 'uninstall',
  reinstall: 'reinstall',
  start: 'start',
  stop: 'stop',
  restart: 'restart',
  execute_operation: 'execute_operation',
  heal: 'auto_heal_reinstall_node_subgraph',
  scale: 'scale_entity',
  install_new_agents: 'install_new_agents',
  validate_agents: 'validate_agents',
  rollback: 'rollback',
  pull: 'pull',
};

const WORKFLOW_PARAMETERS: Record<string, string[]> = {
  install: ['type_names', 'node_ids', 'node_instance_ids'],
  check_status: ['run_by_dependency_order', 'type_names', 'node_ids', 'node_instance_ids'],
  check_drift: ['run_by_dependency_order', 'type_names', 'node_ids', 'node_instance_ids'],
  uninstall: ['ignore_failure', 'recursive', 'type_names', 'node_ids', 'node_instance_ids'],
  reinstall: ['ignore_failure', 'type_names', 'node_ids', 'node_instance_ids'],
  start: [
    'operation_parms',
    'run_by_dependency_order',
    'type_names',
    'node_ids',
    'node_instance_ids',
  ],
  stop: [
    'operation_parms',
    'run_by_dependency_order',
    'type_names',
    'node_ids',
    'node_instance_ids',
  ],
  restart: [
    'stop_parms',
    'start_parms',
    'run_by_dependency_order',
    'type_names',
    'node_ids',
    'node_instance_ids',
  ],
  execute_operation: [
    'operation',
    'operation_kwargs',
    'allow_kwargs_override',
    'run_by_dependency_order',
    'type_names',
    'node_ids',
    'node_instance_ids',
  ],
  heal: [
    'node_instance_id',
    'diagnose_value',
    'ignore_failure',
    'check_status',
    'allow_reinstall',
    'force_reinstall',
  ],
  scale: [
    'scalable_entity_name',
    'delta',
    'scale_compute',
    'include_instances',
    'exclude_instances',
    'ignore_failure',
    'rollback_if_failed',
    'abort_started',
  ],
  install_new_agents: [
    'install_agent_timeout',
    'node_ids',
    'node_instance_ids',
    'install_methods',
    'validate',
    'install',
    'install_script',
    'manager_ip',
    'manager_certificate',
    'stop_old_agent',
  ],
  validate_agents: ['node_ids', 'node_instance_ids', 'install_methods'],
  rollback: ['type_names', 'node_ids', 'node_instance_ids', 'full_rollback'],
  pull: [
    'operation_parms',
    'run_by_dependency_order',
    'type_names',
    'node_ids',
    'node_instance_ids',
  ],
};

const PLUGINS: Record<string, string> = {
  cfy_extensions: 'central_deployment_agent',
  agent: 'central_deployment_agent',
  default_workflows: 'central_deployment_agent',
  script: 'host_agent',
};

const POLICY_TYPES = [
  'cloudify.policies.types.host_failure',
  'cloudify.policies.types.threshold',
  'cloudify.policies.types.ewma_stabilized',
];

const POLICY_TRIGGERS = ['cloudify.policies.triggers.execute_workflow'];

const DATA_TYPES: Record<string, string[]> = {
  'cloudify.datatypes.AgentConfig': [
    'install_method',
    'service_name',
    'network',
    'user',
    'key',
    'password',
    'port',
    'process_management',
    'min_workers',
    'max_workers',
    'heartbeat',
    'disable_requiretty',
    'env',
    'extra',
    'executable_temp_path',
    'log_level',
    'log_max_bytes',
    'log_max_history',
  ],
  'cloudify.datatypes.Blueprint': [
    'external_resource',
    'id',
    'main_file_name',
    'blueprint_archive',
    'labels',
  ],
  'cloudify.datatypes.ComponentDeployment': [
    'external_resource',
    'id',
    'inputs',
    'logs',
    'auto_inc_suffix',
    'labels',
  ],
  'cloudify.datatypes.Component': ['blueprint', 'deployment', 'executions_start_args'],
  'cloudify.datatypes.RemoteCloudifyManagerClient': [
    'host',
    'port',
    'protocol',
    'api_version',
    'headers',
    'query_params',
    'cert',
    'trust_all',
    'username',
    'password',
    'token',
    'tenant',
  ],
  'cloudify.datatypes.SharedResourceDeployment': ['id'],
  'cloudify.datatypes.SharedResource': ['deployment'],
};

// Interfaces and their operations declared directly on a type (spec §8, "interfaces" column).
const NODE_INTERFACES: Record<string, Record<string, string[]>> = {
  'cloudify.nodes.Root': {
    'cloudify.interfaces.lifecycle': [
      'check_drift',
      'configure',
      'create',
      'delete',
      'heal',
      'postdelete',
      'postheal',
      'poststart',
      'postupdate',
      'precreate',
      'preheal',
      'prestop',
      'preupdate',
      'pull',
      'start',
      'stop',
      'update',
      'update_apply',
      'update_config',
      'update_postapply',
    ],
    'cloudify.interfaces.validation': ['check_status', 'create', 'creation', 'delete', 'deletion'],
    'cloudify.interfaces.monitoring': ['start', 'stop'],
  },
  'cloudify.nodes.Compute': {
    'cloudify.interfaces.cloudify_agent': [
      'configure',
      'create',
      'create_amqp',
      'delete',
      'install_plugins',
      'restart',
      'restart_amqp',
      'start',
      'stop',
      'stop_amqp',
      'uninstall_plugins',
      'validate_amqp',
    ],
    'cloudify.interfaces.host': ['get_state'],
    'cloudify.interfaces.monitoring_agent': ['install', 'start', 'stop', 'uninstall'],
  },
  'cloudify.nodes.FileSystem': { 'cloudify.interfaces.lifecycle': ['configure'] },
  'cloudify.nodes.Component': {
    'cloudify.interfaces.lifecycle': [
      'check_drift',
      'configure',
      'create',
      'delete',
      'heal',
      'refresh',
      'start',
      'stop',
      'update',
    ],
    'cloudify.interfaces.validation': ['check_status'],
  },
  'cloudify.nodes.SharedResource': {
    'cloudify.interfaces.lifecycle': ['check_drift', 'create', 'delete', 'refresh'],
    'cloudify.interfaces.validation': ['check_status'],
  },
  'cloudify.nodes.Blueprint': { 'cloudify.interfaces.lifecycle': ['create', 'delete'] },
  'cloudify.nodes.PasswordSecret': {
    'cloudify.interfaces.lifecycle': ['create', 'delete'],
    'cloudify.interfaces.validation': ['create'],
  },
};

const ALLOWED_TOP_LEVEL = [
  'tosca_definitions_version',
  'metadata',
  'plugins',
  'data_types',
  'node_types',
  'relationships',
  'workflows',
  'policy_types',
  'policy_triggers',
];

const sorted = (xs: Iterable<string>): string[] => [...xs].sort();

/** The value at `path` inside the parsed YAML (undefined when any step is missing). */
function get(root: unknown, ...path: string[]): unknown {
  let cur = root;
  for (const step of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Dict)[step];
  }
  return cur;
}

/** The map at `path` ({} when missing). */
function dict(root: unknown, ...path: string[]): Dict {
  const v = get(root, ...path);
  return v !== null && typeof v === 'object' ? (v as Dict) : {};
}

/** The sorted keys of the map at `path`. */
const keys = (root: unknown, ...path: string[]): string[] =>
  sorted(Object.keys(dict(root, ...path)));

/** Every operation (with its owner) declared anywhere in the file. */
function allOperations(doc: Dict): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  const collect = (owner: string, interfaces: Dict) => {
    for (const [iface, ops] of Object.entries(interfaces)) {
      for (const [op, def] of Object.entries(dict(ops))) out.push([`${owner} ${iface}.${op}`, def]);
    }
  };
  for (const [name, t] of Object.entries(dict(doc, 'node_types')))
    collect(name, dict(t, 'interfaces'));
  for (const [name, r] of Object.entries(dict(doc, 'relationships'))) {
    collect(name, dict(r, 'source_interfaces'));
    collect(name, dict(r, 'target_interfaces'));
  }
  return out;
}

const implementationOf = (def: unknown): string | undefined =>
  typeof def === 'string' ? def : (get(def, 'implementation') as string | undefined);

describe('built-in types.yaml', () => {
  const doc = parse(builtinTypesYaml()) as Dict;
  const NT = 'node_types';
  const WF = 'workflows';

  it('is reached by the cloudify/types/types.yaml import and is read once', () => {
    expect(BUILTIN_TYPES_IMPORT).toBe('cloudify/types/types.yaml');
    expect(builtinTypesYaml()).toBe(builtinTypesYaml());
  });

  it('declares cloudify_dsl_1_3 first, the cloudify_types metadata, and no other section', () => {
    expect(Object.keys(doc)[0]).toBe('tosca_definitions_version');
    expect(doc.tosca_definitions_version).toBe('cloudify_dsl_1_3');
    expect(doc.metadata).toEqual({ cloudify_types: true });
    expect(sorted(Object.keys(doc))).toEqual(sorted(ALLOWED_TOP_LEVEL));
  });

  it('declares exactly the node types of §8 with their parents', () => {
    expect(keys(doc, NT)).toEqual(sorted(Object.keys(NODE_TYPES)));
    for (const [name, parent] of Object.entries(NODE_TYPES)) {
      expect([name, get(doc, NT, name, 'derived_from') ?? null]).toEqual([name, parent]);
    }
  });

  it('declares exactly the relationship types of §8 with their parents', () => {
    expect(keys(doc, 'relationships')).toEqual(sorted(Object.keys(RELATIONSHIPS)));
    for (const [name, parent] of Object.entries(RELATIONSHIPS)) {
      expect([name, get(doc, 'relationships', name, 'derived_from') ?? null]).toEqual([
        name,
        parent,
      ]);
    }
  });

  it('declares the interfaces and operations of §8 on each node type', () => {
    for (const type of keys(doc, NT)) {
      const interfaces = dict(doc, NT, type, 'interfaces');
      const declared = Object.fromEntries(
        Object.keys(interfaces).map((iface) => [iface, keys(interfaces, iface)]),
      );
      expect([type, declared]).toEqual([type, NODE_INTERFACES[type] ?? {}]);
    }
    expect(
      keys(doc, NT, 'cloudify.nodes.Root', 'interfaces', 'cloudify.interfaces.lifecycle'),
    ).toHaveLength(20);
  });

  it('declares the relationship interfaces of §8', () => {
    const ops = (rel: string, side: string) =>
      keys(doc, 'relationships', rel, side, 'cloudify.interfaces.relationship_lifecycle');
    const lifecycle = [
      'check_drift',
      'establish',
      'postconfigure',
      'preconfigure',
      'unlink',
      'update',
    ];
    expect(ops('cloudify.relationships.depends_on', 'source_interfaces')).toEqual(lifecycle);
    expect(ops('cloudify.relationships.depends_on', 'target_interfaces')).toEqual(lifecycle);
    for (const name of [
      'cloudify.relationships.depends_on_shared_resource',
      'cloudify.relationships.connected_to_shared_resource',
    ]) {
      expect(ops(name, 'target_interfaces')).toEqual(['establish', 'unlink']);
      expect(get(doc, 'relationships', name, 'source_interfaces')).toBeUndefined();
    }
    expect(
      ops('cloudify.relationships.file_system_depends_on_volume', 'source_interfaces'),
    ).toEqual(['preconfigure']);
    expect(
      ops('cloudify.relationships.file_system_contained_in_compute', 'source_interfaces'),
    ).toEqual(['establish', 'unlink']);
  });

  it('writes every implementation in plugin form with a declared plugin, or leaves it empty', () => {
    const plugins = keys(doc, 'plugins');
    for (const [where, def] of allOperations(doc)) {
      const implementation = implementationOf(def);
      if (!implementation) continue;
      const [plugin, ...rest] = implementation.split('.');
      expect([where, plugins.includes(plugin) && rest.length >= 2]).toEqual([where, true]);
    }
    const agentOps = dict(
      doc,
      NT,
      'cloudify.nodes.Compute',
      'interfaces',
      'cloudify.interfaces.cloudify_agent',
    );
    for (const [op, def] of Object.entries(agentOps)) {
      expect([op, implementationOf(def)?.startsWith('agent.cloudify_agent.')]).toEqual([op, true]);
    }
    for (const type of [
      'cloudify.nodes.Component',
      'cloudify.nodes.SharedResource',
      'cloudify.nodes.Blueprint',
      'cloudify.nodes.PasswordSecret',
    ]) {
      for (const ops of Object.values(dict(doc, NT, type, 'interfaces'))) {
        for (const [op, def] of Object.entries(dict(ops))) {
          const ok = implementationOf(def)?.startsWith('cfy_extensions.cloudify_types.');
          expect([type, op, ok]).toEqual([type, op, true]);
        }
      }
    }
  });

  it('gives the property defaults of §8', () => {
    const dflt = (type: string, prop: string) => get(doc, NT, type, 'properties', prop, 'default');
    expect(dflt('cloudify.nodes.Root', 'use_external_resource')).toBe(false);
    expect(dflt('cloudify.nodes.Compute', 'agent_config')).toEqual({
      install_method: 'remote',
      network: 'default',
      port: 22,
    });
    expect(dflt('cloudify.nodes.Compute', 'ip')).toBe('');
    expect(dflt('cloudify.nodes.Compute', 'os_family')).toBe('linux');
    expect(dflt('cloudify.nodes.WebServer', 'port')).toBe(80);
    expect(dflt('cloudify.nodes.FileSystem', 'partition_type')).toBe(83);
    expect(dflt('cloudify.nodes.PasswordSecret', 'length')).toBe(8);
    expect(dflt('cloudify.nodes.PasswordSecret', 'use_secret_if_exists')).toBe(false);
    expect(get(dflt('cloudify.nodes.CloudifyManager', 'cloudify'), 'cloudify_agent')).toMatchObject(
      {
        max_workers: 5,
        min_workers: 2,
      },
    );
    expect(
      get(
        doc,
        'relationships',
        'cloudify.relationships.depends_on',
        'properties',
        'connection_type',
        'default',
      ),
    ).toBe('all_to_all');
  });

  it('declares the plugins of §8, none installed', () => {
    expect(keys(doc, 'plugins')).toEqual(sorted(Object.keys(PLUGINS)));
    for (const [name, executor] of Object.entries(PLUGINS)) {
      expect([name, get(doc, 'plugins', name)]).toEqual([name, { executor, install: false }]);
    }
  });

  it('declares the workflows of §8 with their mappings and parameters', () => {
    expect(keys(doc, WF)).toEqual(sorted(Object.keys(WORKFLOWS)));
    for (const [name, func] of Object.entries(WORKFLOWS)) {
      expect([name, get(doc, WF, name, 'mapping')]).toEqual([
        name,
        `default_workflows.cloudify.plugins.workflows.${func}`,
      ]);
      expect([name, keys(doc, WF, name, 'parameters')]).toEqual([
        name,
        sorted(WORKFLOW_PARAMETERS[name]),
      ]);
    }
    expect(get(doc, WF, 'heal', 'mapping')).toBe(
      'default_workflows.cloudify.plugins.workflows.auto_heal_reinstall_node_subgraph',
    );
    expect(get(doc, WF, 'scale', 'mapping')).toBe(
      'default_workflows.cloudify.plugins.workflows.scale_entity',
    );
  });

  it('gives install its parameter schemas and availability rules', () => {
    expect(get(doc, WF, 'install', 'is_cascading')).toBe(false);
    expect(get(doc, WF, 'install', 'availability_rules')).toEqual({
      node_instances_active: ['none', 'partial'],
    });
    expect(get(doc, WF, 'install', 'parameters')).toEqual({
      type_names: { type: 'list', item_type: 'node_type', default: [] },
      node_ids: { type: 'list', item_type: 'node_id', default: [] },
      node_instance_ids: { type: 'list', item_type: 'node_instance', default: [] },
    });
  });

  it('gives workflow parameter defaults of §8', () => {
    const p = (wf: string, name: string) => dict(doc, WF, wf, 'parameters', name);
    expect(p('check_status', 'run_by_dependency_order').default).toBe(false);
    expect(p('check_drift', 'run_by_dependency_order').default).toBe(true);
    expect(p('execute_operation', 'allow_kwargs_override').default).toBeNull();
    expect(p('execute_operation', 'operation')).not.toHaveProperty('default');
    expect(p('heal', 'diagnose_value').default).toBe('Not provided');
    expect(p('heal', 'ignore_failure').default).toBe(true);
    expect(p('scale', 'delta').default).toBe(1);
    expect(p('scale', 'include_instances').default).toBeNull();
    expect(p('scale', 'scalable_entity_name')).not.toHaveProperty('default');
    expect(p('install_new_agents', 'install_agent_timeout').default).toBe(300);
    expect(p('rollback', 'full_rollback').default).toBe(false);
  });

  it('declares the policy types, triggers and data types of §8', () => {
    const PT = 'policy_types';
    expect(keys(doc, PT)).toEqual(sorted(POLICY_TYPES));
    const dflt = (type: string, prop: string) => get(doc, PT, type, 'properties', prop, 'default');
    expect(dflt('cloudify.policies.types.host_failure', 'service')).toEqual(['service']);
    expect(dflt('cloudify.policies.types.threshold', 'service')).toBe('service');
    expect(dflt('cloudify.policies.types.ewma_stabilized', 'ewma_timeless_r')).toBe(0.5);
    for (const t of POLICY_TYPES) expect(dflt(t, 'interval_between_workflows')).toBe(300);
    expect(keys(doc, 'policy_triggers')).toEqual(sorted(POLICY_TRIGGERS));
    expect(
      keys(doc, 'policy_triggers', 'cloudify.policies.triggers.execute_workflow', 'parameters'),
    ).toEqual(
      sorted([
        'workflow',
        'workflow_parameters',
        'force',
        'allow_custom_parameters',
        'socket_timeout',
        'conn_timeout',
      ]),
    );
    expect(keys(doc, 'data_types')).toEqual(sorted(Object.keys(DATA_TYPES)));
    for (const [name, props] of Object.entries(DATA_TYPES)) {
      expect([name, keys(doc, 'data_types', name, 'properties')]).toEqual([name, sorted(props)]);
    }
    expect(
      get(
        doc,
        'data_types',
        'cloudify.datatypes.Blueprint',
        'properties',
        'main_file_name',
        'default',
      ),
    ).toBe('blueprint.yaml');
  });
});
