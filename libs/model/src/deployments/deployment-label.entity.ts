import { Column, Entity, Index, JoinColumn, ManyToOne, Unique } from 'typeorm';
import { LabelBase } from '../common/resource.base';
import { Deployment } from './deployment.entity';

@Entity('deployments_labels')
@Unique(['key', 'value', 'labeledModelFk'])
export class DeploymentLabel extends LabelBase {
  @ManyToOne(() => Deployment, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: '_labeled_model_fk' })
  deployment?: Deployment;

  @Index()
  @Column({ name: '_labeled_model_fk', type: 'integer' })
  labeledModelFk: number;
}
