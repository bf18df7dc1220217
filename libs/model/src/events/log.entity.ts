import { Column, Entity } from 'typeorm';
import { ExecutionOutputBase } from './execution-output.base';

/** A `cloudify_log` line. */
@Entity('logs')
export class Log extends ExecutionOutputBase {
  @Column({ type: 'text', nullable: true })
  logger: string | null;

  @Column({ type: 'text', nullable: true })
  level: string | null;
}
