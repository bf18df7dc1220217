import { Module } from '@nestjs/common';

/** The blueprints context of the REST API. */
@Module({})
export class BlueprintsModule {}
