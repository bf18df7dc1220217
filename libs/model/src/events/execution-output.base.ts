import { Check, Column, Index, JoinColumn, ManyToOne } from 'typeorm';
import { StoredBase } from '../common/resource.base';
import { ExecutionGroup } from '../executions/execution-group.entity';
import { Execution } from '../executions/execution.entity';

/**
 * What events and logs share: when, about what, and which execution (or execution group) wrote
 * it — exactly one of the two, enforced by a CHECK. `message_id` is the producer's id of the
 * message; its unique index makes inserts from the bus idempotent (`ON CONFLICT DO NOTHING`).
 */
@Check(
  'execution_output_one_parent_check',
  '("_execution_fk" IS NOT NULL) <> ("_execution_group_fk" IS NOT NULL)',
)
@Index(['executionFk', 'timestamp'])
@Index(['executionFk', 'reportedTimestamp'])
export abstract class ExecutionOutputBase extends StoredBase {
  @Index()
  @Column({ type: 'timestamptz', default: () => 'now()' })
  timestamp: Date;

  @Index()
  @Column({ name: 'reported_timestamp', type: 'timestamptz' })
  reportedTimestamp: Date;

  @Column({ type: 'text', nullable: true })
  message: string | null;

  @Column({ name: 'message_code', type: 'text', nullable: true })
  messageCode: string | null;

  @Column({ type: 'text', nullable: true })
  operation: string | null;

  /** The node instance id the message is about. */
  @Index()
  @Column({ name: 'node_id', type: 'text', nullable: true })
  nodeId: string | null;

  @Column({ name: 'source_id', type: 'text', nullable: true })
  sourceId: string | null;

  @Column({ name: 'target_id', type: 'text', nullable: true })
  targetId: string | null;

  @Column({ name: 'manager_name', type: 'text', nullable: true })
  managerName: string | null;

  @Column({ name: 'agent_name', type: 'text', nullable: true })
  agentName: string | null;

  @Index({ unique: true })
  @Column({ name: 'message_id', type: 'uuid', nullable: true })
  messageId: string | null;

  @ManyToOne(() => Execution, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: '_execution_fk' })
  execution?: Execution | null;

  // Indexed by the composite (_execution_fk, …timestamp) indexes above.
  @Column({ name: '_execution_fk', type: 'integer', nullable: true })
  executionFk: number | null;

  @ManyToOne(() => ExecutionGroup, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: '_execution_group_fk' })
  executionGroup?: ExecutionGroup | null;

  @Index()
  @Column({ name: '_execution_group_fk', type: 'integer', nullable: true })
  executionGroupFk: number | null;
}
