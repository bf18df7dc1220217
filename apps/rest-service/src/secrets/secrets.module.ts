import { Module } from '@nestjs/common';

/** The secrets context of the REST API. */
@Module({})
export class SecretsModule {}
