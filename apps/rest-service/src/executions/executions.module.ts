import { Module } from '@nestjs/common';

/** The executions context of the REST API. */
@Module({})
export class ExecutionsModule {}
