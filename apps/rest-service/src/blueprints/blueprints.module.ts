import { Module } from '@nestjs/common';
import { FiltersModule } from '../filters/filters.module';
import { MulterModule } from '@nestjs/platform-express';
import { join } from 'node:path';
import { NESTIFY_CONFIG, NestifyConfig } from '@nestify/config';
import { PluginsModule } from '../plugins/plugins.module';
import { ResourcesModule } from '../resources/resources.module';
import { BlueprintLabelsController } from './blueprint-labels.controller';
import { BlueprintUploadService } from './blueprint-upload.service';
import { BlueprintsController } from './blueprints.controller';
import { BlueprintsRepository } from './blueprints.repository';
import { BlueprintsService } from './blueprints.service';

const MIB = 1024 * 1024;

/** The blueprints context of the REST API: upload, read, delete, labels; and the file server. */
@Module({
  imports: [
    ResourcesModule,
    FiltersModule,
    PluginsModule,
    // Multipart archives go to disk (never memory), in the file server's scratch folder.
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
  controllers: [BlueprintsController, BlueprintLabelsController],
  providers: [BlueprintsService, BlueprintUploadService, BlueprintsRepository],
  exports: [BlueprintsService],
})
export class BlueprintsModule {}
