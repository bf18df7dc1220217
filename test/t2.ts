import { readFileSync } from 'node:fs';
import { parseBlueprint } from '../libs/dsl/src/plan/parse-blueprint';
const f = '/work/shared/blueprints/' + process.argv[2] + '/blueprint.yaml';
parseBlueprint(readFileSync(f, 'utf8'), f).then((p) => {
  const app = p.nodes.find((n) => n.id === 'app')!;
  console.log(JSON.stringify({ create: app.operations['cloudify.interfaces.lifecycle.create'], bare: Object.keys(app.operations).filter(k=>!k.includes('.')).length, host_id: app.host_id, rel: app.relationships.map(r => ({type: r.type, t: r.target_id, props: r.properties, so: r.source_operations['preconfigure']})), plugins: app.plugins, hostPTI: p.nodes[0].plugins_to_install, wf: p.workflows.install, wpi: p.workflow_plugins_to_install.map(x=>x.name), hapi: p.host_agent_plugins_to_install.map(x=>x.name), dpi: p.deployment_plugins_to_install, outputs: p.outputs, inputs: p.inputs, md: p.metadata, v: p.version, sg: p.scaling_groups, groups: p.groups }, null, 1));
}, (e) => console.log('ERR', e.describe?.() ?? e));
