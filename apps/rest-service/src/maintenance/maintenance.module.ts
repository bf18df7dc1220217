import { Module } from '@nestjs/common';

/** The maintenance context of the REST API. */
@Module({})
export class MaintenanceModule {}
