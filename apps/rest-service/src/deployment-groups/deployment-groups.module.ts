import { Module } from '@nestjs/common';

/** The deployment-groups context of the REST API. */
@Module({})
export class DeploymentGroupsModule {}
