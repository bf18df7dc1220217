import { Module } from '@nestjs/common';

/** The summary context of the REST API. */
@Module({})
export class SummaryModule {}
