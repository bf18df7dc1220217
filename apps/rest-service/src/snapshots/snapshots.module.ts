import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Snapshot } from '@nestify/model';
import { ExecutionsModule } from '../executions/executions.module';
import { SnapshotsController, SnapshotStatusController } from './snapshots.controller';
import { SnapshotsRepository } from './snapshots.repository';
import { SnapshotsService } from './snapshots.service';

/** Snapshots: backup of the database and resources as one archive, and restore from it. */
@Module({
  imports: [TypeOrmModule.forFeature([Snapshot]), ExecutionsModule],
  controllers: [SnapshotsController, SnapshotStatusController],
  providers: [SnapshotsService, SnapshotsRepository],
})
export class SnapshotsModule {}
