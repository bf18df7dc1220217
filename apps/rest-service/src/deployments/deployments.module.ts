import { Module } from '@nestjs/common';
import { FiltersModule } from '../filters/filters.module';
import { SecretsModule } from '../secrets/secrets.module';
import { DeploymentCreationService } from './deployment-creation.service';
import { DeploymentLabelsController } from './deployment-labels.controller';
import { DeploymentsController } from './deployments.controller';
import { DeploymentsRepository } from './deployments.repository';
import { DeploymentsService } from './deployments.service';

/**
 * The deployments context of the REST API: creation (doing create_deployment_environment's work
 * in-process), reading, outputs and capabilities, deletion, visibility, site and labels.
 */
@Module({
  imports: [SecretsModule, FiltersModule],
  controllers: [DeploymentsController, DeploymentLabelsController],
  providers: [DeploymentsService, DeploymentCreationService, DeploymentsRepository],
  exports: [DeploymentsService],
})
export class DeploymentsModule {}
