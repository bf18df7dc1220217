import { Module } from '@nestjs/common';
import { SecretsModule } from '../secrets/secrets.module';
import { AgentsController } from './agents.controller';
import { AgentsRepository } from './agents.repository';
import { AgentsService } from './agents.service';

/** Agents: list/get, and the PUT/PATCH agents use to register themselves and report state. */
@Module({
  imports: [SecretsModule],
  controllers: [AgentsController],
  providers: [AgentsService, AgentsRepository],
})
export class AgentsModule {}
