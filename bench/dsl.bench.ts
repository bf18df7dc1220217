import { parseBlueprint, prepareDeploymentPlan } from '@nestify/dsl';
import { BenchReport, round } from './report';

/**
 * Parse + plan time of the DSL: (a) a typical 20-node blueprint, warm (median of BENCH_RUNS,
 * default 50), and (b) 5,000 hosts each containing an app, apps connected_to one db
 * (BENCH_HOSTS, default 5000: 10,001 node instances), cold and warm.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 50);
const HOSTS = Number(process.env.BENCH_HOSTS ?? 5000);

/** 5 hosts with a web server and a cache each, a db on its host, a load balancer, network, firewall: 20 nodes. */
function typicalBlueprint(): string {
  const lines = [
    'tosca_definitions_version: cloudify_dsl_1_4',
    'imports: [cloudify/types/types.yaml]',
    'inputs:',
    '  port: {type: integer, default: 8080}',
    '  image: {type: string, default: ubuntu-22.04}',
    'node_types:',
    '  app.Server:',
    '    derived_from: cloudify.nodes.WebServer',
    '    properties:',
    '      greeting: {type: string, default: hello}',
    '    interfaces:',
    '      cloudify.interfaces.lifecycle:',
    '        create: {implementation: scripts/create.sh, inputs: {mode: {default: fast}}}',
    '        start: scripts/start.sh',
    'node_templates:',
    '  db_host: {type: cloudify.nodes.Compute, properties: {ip: 10.0.0.1, agent_config: {install_method: none}}}',
    '  db:',
    '    type: cloudify.nodes.DBMS',
    '    properties: {resource_id: main-db}',
    '    relationships: [{type: cloudify.relationships.contained_in, target: db_host}]',
    '  lb: {type: cloudify.nodes.LoadBalancer}',
    '  network: {type: cloudify.nodes.Network}',
    '  firewall:',
    '    type: cloudify.nodes.SecurityGroup',
    '    relationships: [{type: cloudify.relationships.depends_on, target: network}]',
  ];
  for (let i = 0; i < 5; i++) {
    lines.push(
      `  host_${i}:`,
      '    type: cloudify.nodes.Compute',
      `    properties: {ip: 10.0.1.${i}, agent_config: {install_method: none}}`,
      `  web_${i}:`,
      '    type: app.Server',
      '    properties: {port: {get_input: port}}',
      '    interfaces:',
      '      cloudify.interfaces.lifecycle:',
      `        configure: {implementation: scripts/configure.sh, inputs: {image: {get_input: image}, host_ip: {get_property: [host_${i}, ip]}}}`,
      '    relationships:',
      `      - {type: cloudify.relationships.contained_in, target: host_${i}}`,
      '      - type: cloudify.relationships.connected_to',
      '        target: db',
      '        source_interfaces:',
      '          cloudify.interfaces.relationship_lifecycle:',
      '            preconfigure: {implementation: scripts/link.sh, inputs: {db_id: {get_property: [TARGET, resource_id]}}}',
      `  cache_${i}:`,
      '    type: cloudify.nodes.SoftwareComponent',
      `    relationships: [{type: cloudify.relationships.contained_in, target: host_${i}}]`,
    );
  }
  lines.push(
    'outputs:',
    '  endpoint: {value: {concat: ["http://", {get_attribute: [lb, ip]}, ":", {get_input: port}]}}',
  );
  return `${lines.join('\n')}\n`;
}

function largeBlueprint(hosts: number): string {
  return `tosca_definitions_version: cloudify_dsl_1_4
imports: [cloudify/types/types.yaml]
node_templates:
  host:
    type: cloudify.nodes.Compute
    properties: {agent_config: {install_method: none}}
    capabilities: {scalable: {properties: {default_instances: ${hosts}}}}
  app:
    type: cloudify.nodes.ApplicationServer
    interfaces:
      cloudify.interfaces.lifecycle: {create: scripts/create.sh}
    relationships:
      - {type: cloudify.relationships.contained_in, target: host}
      - {type: cloudify.relationships.connected_to, target: db}
  db:
    type: cloudify.nodes.Database
`;
}

const OPTIONS = { resourceExists: () => true };

async function parseAndPlan(text: string): Promise<{ ms: number; instances: number }> {
  const start = process.hrtime.bigint();
  const plan = prepareDeploymentPlan(await parseBlueprint(text, '/bench/blueprint.yaml', OPTIONS));
  return {
    ms: Number(process.hrtime.bigint() - start) / 1e6,
    instances: plan.node_instances.length,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const report = new BenchReport('dsl');
  const typical = typicalBlueprint();
  const cold = await parseAndPlan(typical);
  const warm: number[] = [];
  for (let i = 0; i < RUNS; i++) warm.push((await parseAndPlan(typical)).ms);
  report.record({
    case: 'typical_20_nodes',
    nodes: 20,
    instances: cold.instances,
    cold_ms: round(cold.ms),
    warm_median_ms: round(median(warm)),
    runs: RUNS,
  });
  const large = largeBlueprint(HOSTS);
  const first = await parseAndPlan(large);
  const second = await parseAndPlan(large);
  report.record({
    case: 'hosts_apps_db',
    hosts: HOSTS,
    instances: first.instances,
    cold_ms: round(first.ms),
    warm_ms: round(second.ms),
  });
  process.stderr.write(`saved ${report.save()}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).message}\n`);
  process.exit(1);
});
