import { Module } from '@nestjs/common';

/** The deployments context of the REST API. */
@Module({})
export class DeploymentsModule {}
