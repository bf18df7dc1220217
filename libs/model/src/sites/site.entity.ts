import { Column, Entity, Index, Unique } from 'typeorm';
import { TenantResourceBase } from '../common/resource.base';

/** A named location deployments can be attached to. The API knows it by `name` (`id` mirrors it). */
@Entity('sites')
@Unique(['name', 'tenantId'])
export class Site extends TenantResourceBase {
  @Index()
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'double precision', nullable: true })
  latitude: number | null;

  @Column({ type: 'double precision', nullable: true })
  longitude: number | null;
}
