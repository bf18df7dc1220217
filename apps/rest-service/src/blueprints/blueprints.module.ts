import { Module } from '@nestjs/common';
import { FiltersModule } from '../filters/filters.module';
import { PluginsModule } from '../plugins/plugins.module';
import { ResourcesModule } from '../resources/resources.module';
import { BlueprintLabelsController } from './blueprint-labels.controller';
import { BlueprintUploadService } from './blueprint-upload.service';
import { BlueprintsController } from './blueprints.controller';
import { BlueprintsRepository } from './blueprints.repository';
import { BlueprintsService } from './blueprints.service';

/** The blueprints context of the REST API: upload, read, delete, labels; and the file server. */
@Module({
  imports: [ResourcesModule, FiltersModule, PluginsModule],
  controllers: [BlueprintsController, BlueprintLabelsController],
  providers: [BlueprintsService, BlueprintUploadService, BlueprintsRepository],
  exports: [BlueprintsService],
})
export class BlueprintsModule {}
