import { Entity, Unique } from 'typeorm';
import { FilterBase } from './filter.base';

@Entity('deployments_filters')
@Unique(['id', 'tenantId'])
export class DeploymentsFilter extends FilterBase {}
