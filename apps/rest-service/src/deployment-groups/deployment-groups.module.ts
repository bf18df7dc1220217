import { Module } from '@nestjs/common';
import { DeploymentsModule } from '../deployments/deployments.module';
import { FiltersModule } from '../filters/filters.module';
import { DeploymentGroupsController } from './deployment-groups.controller';
import { DeploymentGroupsRepository } from './deployment-groups.repository';
import { DeploymentGroupsService } from './deployment-groups.service';

/** The deployment-groups context of the REST API: groups, their labels and members. */
@Module({
  imports: [FiltersModule, DeploymentsModule],
  controllers: [DeploymentGroupsController],
  providers: [DeploymentGroupsService, DeploymentGroupsRepository],
})
export class DeploymentGroupsModule {}
