import { Module } from '@nestjs/common';
import { SummaryController } from './summary.controller';
import { SummaryRepository } from './summary.repository';
import { SummaryService } from './summary.service';

/** GET /summary/<resource>: counts grouped by a field (and a sub-field). */
@Module({
  controllers: [SummaryController],
  providers: [SummaryService, SummaryRepository],
})
export class SummaryModule {}
