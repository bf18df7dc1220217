import { Column, Entity, Index, JoinColumn, ManyToOne, Unique } from 'typeorm';
import { LabelBase } from '../common/resource.base';
import { DeploymentGroup } from './deployment-group.entity';

@Entity('deployment_groups_labels')
@Unique(['key', 'value', 'labeledModelFk'])
export class DeploymentGroupLabel extends LabelBase {
  @ManyToOne(() => DeploymentGroup, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: '_labeled_model_fk' })
  deploymentGroup?: DeploymentGroup;

  @Index()
  @Column({ name: '_labeled_model_fk', type: 'integer' })
  labeledModelFk: number;
}
