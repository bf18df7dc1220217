import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A tenant: the namespace every resource lives in. `default_tenant` has id 0. */
@Entity('tenants')
export class Tenant {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'text', unique: true })
  name: string;

  @Column({ name: 'rabbitmq_vhost', type: 'text', nullable: true })
  rabbitmqVhost: string | null;

  @Column({ name: 'rabbitmq_username', type: 'text', nullable: true })
  rabbitmqUsername: string | null;

  @Column({ name: 'rabbitmq_password', type: 'text', nullable: true })
  rabbitmqPassword: string | null;
}
