import { AgentState } from '@nestify/model';

/** An agent, as GET /agents lists it (its `id` is its name). */
export class AgentResponseDto {
  id: string;
  name: string;
  /** The node instance it runs on (legacy name of `node_instance_id`). */
  host_id: string;
  node_instance_id: string;
  ip: string | null;
  install_method: string;
  system: string | null;
  version: string;
  /** Node id of its instance. */
  node: string;
  deployment: string;
  state: AgentState;
  rabbitmq_exchange: string;
  created_at: string | null;
  updated_at: string | null;
  visibility: string;
  tenant_name: string;
  created_by: string;
  /** Only on GET /agents/{name}, or on the list with `_get_data=true`. */
  rabbitmq_username?: string | null;
  /** Decrypted; only on GET /agents/{name}, or on the list with `_get_data=true`. */
  rabbitmq_password?: string | null;
}

export const AGENT_FIELDS = [
  'id',
  'name',
  'host_id',
  'node_instance_id',
  'ip',
  'install_method',
  'system',
  'version',
  'node',
  'deployment',
  'state',
  'rabbitmq_exchange',
  'created_at',
  'updated_at',
  'visibility',
  'tenant_name',
  'created_by',
  'rabbitmq_username',
  'rabbitmq_password',
] as const;

/** Filter names the Python client sends beside the response fields. */
export const AGENT_FILTER_ALIASES = [
  'deployment_id',
  'node_id',
  'node_ids',
  'node_instance_ids',
  'install_methods',
] as const;
