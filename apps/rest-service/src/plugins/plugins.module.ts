import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { join } from 'node:path';
import { NESTIFY_CONFIG, NestifyConfig } from '@nestify/config';
import { ResourcesModule } from '../resources/resources.module';
import { PluginCatalogService } from './plugin-catalog.service';
import { PluginFiles } from './plugin-files';
import { PluginUploadService } from './plugin-upload.service';
import { PluginsController } from './plugins.controller';
import { PluginsRepository } from './plugins.repository';
import { PluginsService } from './plugins.service';

const MIB = 1024 * 1024;

/**
 * The plugins context of the REST API: upload (zip with plugin.yaml and optionally a wagon, or
 * an npm tarball of a TypeScript plugin), list, get, delete, downloads; and the catalog that
 * blueprint uploads resolve `plugin:` imports from.
 */
@Module({
  imports: [
    ResourcesModule,
    // Multipart packages go to disk (never memory), in the file server's scratch folder.
    MulterModule.registerAsync({
      inject: [NESTIFY_CONFIG],
      useFactory: (config: NestifyConfig) => ({
        dest: join(config.resources.dir, 'tmp', 'multipart'),
        limits: {
          fileSize: config.resources.maxUnpackedBytes * 2 + MIB,
          files: 1,
          fieldSize: MIB,
        },
      }),
    }),
  ],
  controllers: [PluginsController],
  providers: [
    PluginsService,
    PluginUploadService,
    PluginCatalogService,
    PluginsRepository,
    PluginFiles,
  ],
  exports: [PluginCatalogService],
})
export class PluginsModule {}
