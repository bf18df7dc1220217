import { Column, Entity } from 'typeorm';
import { JsonObject } from '../common/json';
import { ExecutionOutputBase } from './execution-output.base';

/** A `cloudify_event` (workflow_started, task_succeeded…). */
@Entity('events')
export class Event extends ExecutionOutputBase {
  @Column({ name: 'event_type', type: 'text', nullable: true })
  eventType: string | null;

  /** `[{message, traceback, type}]` of a failed task. */
  @Column({ name: 'error_causes', type: 'jsonb', nullable: true })
  errorCauses: JsonObject[] | null;
}
