import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Agent } from '../agents/agent.entity';
import { Manager } from '../manager/manager.entity';
import { Plugin } from './plugin.entity';

/** Installation state of a plugin on one manager or one agent. */
@Entity('plugins_states')
export class PluginState {
  @PrimaryGeneratedColumn({ name: '_storage_id', type: 'integer' })
  storageId: number;

  @ManyToOne(() => Plugin, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: '_plugin_fk' })
  plugin?: Plugin;

  @Index()
  @Column({ name: '_plugin_fk', type: 'integer' })
  pluginFk: number;

  @ManyToOne(() => Manager, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: '_manager_fk' })
  manager?: Manager | null;

  @Index()
  @Column({ name: '_manager_fk', type: 'integer', nullable: true })
  managerFk: number | null;

  @ManyToOne(() => Agent, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: '_agent_fk' })
  agent?: Agent | null;

  @Index()
  @Column({ name: '_agent_fk', type: 'integer', nullable: true })
  agentFk: number | null;

  @Column({ type: 'text', nullable: true })
  state: string | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;
}
