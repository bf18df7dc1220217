import { Column, Entity, Index, JoinColumn, ManyToOne, Unique } from 'typeorm';
import { LabelBase } from '../common/resource.base';
import { Blueprint } from './blueprint.entity';

@Entity('blueprints_labels')
@Unique(['key', 'value', 'labeledModelFk'])
export class BlueprintLabel extends LabelBase {
  @ManyToOne(() => Blueprint, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: '_labeled_model_fk' })
  blueprint?: Blueprint;

  @Index()
  @Column({ name: '_labeled_model_fk', type: 'integer' })
  labeledModelFk: number;
}
