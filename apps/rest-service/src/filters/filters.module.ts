import { Module } from '@nestjs/common';

/** The filters context of the REST API. */
@Module({})
export class FiltersModule {}
