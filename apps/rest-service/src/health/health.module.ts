import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { StatusService } from './status.service';

@Module({
  controllers: [HealthController],
  providers: [StatusService],
})
export class HealthModule {}
