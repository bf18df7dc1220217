import { Entity, Unique } from 'typeorm';
import { FilterBase } from './filter.base';

@Entity('blueprints_filters')
@Unique(['id', 'tenantId'])
export class BlueprintsFilter extends FilterBase {}
