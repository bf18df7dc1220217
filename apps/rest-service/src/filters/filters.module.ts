import { Module } from '@nestjs/common';
import { FiltersController } from './filters.controller';
import { FiltersRepository } from './filters.repository';
import { FiltersService } from './filters.service';

/** The filters context of the REST API: saved filter rules for deployments and blueprints. */
@Module({
  controllers: [FiltersController],
  providers: [FiltersService, FiltersRepository],
  exports: [FiltersService],
})
export class FiltersModule {}
