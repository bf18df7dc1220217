import { Module } from '@nestjs/common';

/** The agents context of the REST API. */
@Module({})
export class AgentsModule {}
