import { Module } from '@nestjs/common';

/** The searches context of the REST API. */
@Module({})
export class SearchesModule {}
