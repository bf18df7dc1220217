import { Check, Column, Entity, Index, JoinColumn, ManyToOne, Unique } from 'typeorm';
import { TenantResourceBase } from '../common/resource.base';
import { valueIn } from '../common/sql-check';
import { NodeInstance } from '../nodes/node-instance.entity';
import { AGENT_STATES, AgentState } from './agent-state';

/** An agent installed for a node instance (its `id` is its name). */
@Entity('agents')
@Unique(['id', 'tenantId'])
@Check('agents_state_check', valueIn('state', AGENT_STATES))
export class Agent extends TenantResourceBase {
  @Index()
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', nullable: true })
  updatedAt: Date | null;

  @Index()
  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', nullable: true })
  ip: string | null;

  @Column({ name: 'install_method', type: 'text' })
  installMethod: string;

  @Column({ type: 'text', nullable: true })
  system: string | null;

  @Column({ type: 'text' })
  version: string;

  @Index()
  @Column({ type: 'varchar', length: 32, default: AgentState.Creating })
  state: AgentState;

  @Column({ name: 'rabbitmq_username', type: 'text', nullable: true })
  rabbitmqUsername: string | null;

  @Column({ name: 'rabbitmq_password', type: 'text', nullable: true })
  rabbitmqPassword: string | null;

  @Column({ name: 'rabbitmq_exchange', type: 'text' })
  rabbitmqExchange: string;

  @ManyToOne(() => NodeInstance, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: '_node_instance_fk' })
  nodeInstance?: NodeInstance;

  @Index()
  @Column({ name: '_node_instance_fk', type: 'integer' })
  nodeInstanceFk: number;
}
