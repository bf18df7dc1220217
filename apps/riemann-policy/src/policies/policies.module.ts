import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { MetricsStoreModule } from '../metrics-store/metrics-store.module';
import { DeploymentPlansRepository } from '../plans/deployment-plans.repository';
import { ExecuteWorkflowTrigger } from './execute-workflow.trigger';
import { PoliciesConsumer } from './policies.consumer';
import { PolicyEngineService } from './policy-engine.service';
import { PolicyExtensions } from './policy-extensions';
import { PolicyLogPublisher } from './policy-log.publisher';

/** Monitoring policies: the engine, its triggers and restraints, and the metrics it consumes. */
@Module({
  imports: [DiscoveryModule, MetricsStoreModule],
  providers: [
    DeploymentPlansRepository,
    ExecuteWorkflowTrigger,
    PolicyExtensions,
    PolicyLogPublisher,
    PolicyEngineService,
    PoliciesConsumer,
  ],
  exports: [PolicyEngineService],
})
export class PoliciesModule {}
