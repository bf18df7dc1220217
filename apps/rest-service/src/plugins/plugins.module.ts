import { Module } from '@nestjs/common';
import { ResourcesModule } from '../resources/resources.module';
import { PluginCatalogService } from './plugin-catalog.service';
import { PluginFiles } from './plugin-files';
import { PluginUploadService } from './plugin-upload.service';
import { PluginsController } from './plugins.controller';
import { PluginsRepository } from './plugins.repository';
import { PluginsService } from './plugins.service';

/**
 * The plugins context of the REST API: upload (zip with plugin.yaml and optionally a wagon, or
 * an npm tarball of a TypeScript plugin), list, get, delete, downloads; and the catalog that
 * blueprint uploads resolve `plugin:` imports from.
 */
@Module({
  imports: [ResourcesModule],
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
