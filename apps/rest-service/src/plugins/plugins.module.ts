import { Module } from '@nestjs/common';

/** The plugins context of the REST API. */
@Module({})
export class PluginsModule {}
