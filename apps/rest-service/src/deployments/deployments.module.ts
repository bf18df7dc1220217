import { Module } from '@nestjs/common';
import { FiltersModule } from '../filters/filters.module';
import { SecretsModule } from '../secrets/secrets.module';
import { DeploymentCreationService } from './deployment-creation.service';
import { DeploymentLabelsController } from './deployment-labels.controller';
import { DeploymentsController } from './deployments.controller';
import { InterDeploymentDependenciesController } from './inter-deployment-dependencies.controller';
import { InterDeploymentDependenciesRepository } from './inter-deployment-dependencies.repository';
import { InterDeploymentDependenciesService } from './inter-deployment-dependencies.service';
import { DeploymentsRepository } from './deployments.repository';
import { DeploymentsService } from './deployments.service';

/**
 * The deployments context of the REST API: creation (doing create_deployment_environment's work
 * in-process), reading, outputs and capabilities, deletion, visibility, site and labels.
 */
@Module({
  imports: [SecretsModule, FiltersModule],
  // Literal /deployments/… paths first, so `/deployments/{id}` does not take them.
  controllers: [
    InterDeploymentDependenciesController,
    DeploymentLabelsController,
    DeploymentsController,
  ],
  providers: [
    DeploymentsService,
    DeploymentCreationService,
    DeploymentsRepository,
    InterDeploymentDependenciesService,
    InterDeploymentDependenciesRepository,
  ],
  exports: [DeploymentsService, DeploymentCreationService],
})
export class DeploymentsModule {}
