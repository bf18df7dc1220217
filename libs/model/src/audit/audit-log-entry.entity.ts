import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One mutating REST request (POST, PUT, PATCH, DELETE): who made it, in which tenant, what it
 * asked and what it got. Names are copied, not referenced, so the trail outlives deleted users
 * and tenants; no body, query string or header is kept, so no secret can end up here.
 */
@Entity('audit_log')
@Index(['createdAt'])
@Index(['username', 'createdAt'])
@Index(['tenantName', 'createdAt'])
export class AuditLogEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** Unset when the request did not authenticate. */
  @Column({ type: 'text', nullable: true })
  username: string | null;

  @Column({ name: 'tenant_name', type: 'text', nullable: true })
  tenantName: string | null;

  @Column({ type: 'text' })
  method: string;

  /** The path without its query string. */
  @Column({ type: 'text' })
  path: string;

  @Column({ type: 'integer' })
  status: number;

  @Column({ name: 'request_id', type: 'text' })
  requestId: string;

  @Column({ type: 'text' })
  ip: string;
}
