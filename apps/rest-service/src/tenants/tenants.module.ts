import { Module } from '@nestjs/common';

/** The tenants context of the REST API. */
@Module({})
export class TenantsModule {}
