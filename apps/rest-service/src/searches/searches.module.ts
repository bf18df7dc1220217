import { Module } from '@nestjs/common';
import { BlueprintsModule } from '../blueprints/blueprints.module';
import { DeploymentsModule } from '../deployments/deployments.module';
import { FiltersModule } from '../filters/filters.module';
import { SearchesController } from './searches.controller';
import { SearchesService } from './searches.service';

/** The searches context of the REST API: deployment and blueprint lists by filter rules. */
@Module({
  imports: [FiltersModule, DeploymentsModule, BlueprintsModule],
  controllers: [SearchesController],
  providers: [SearchesService],
})
export class SearchesModule {}
