import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import {
  policyExtensionKind,
  PolicyType,
  PolicyTypeRegistry,
  TriggerType,
} from '@nestify/policies';
import { ExecuteWorkflowTrigger } from './execute-workflow.trigger';

/**
 * The policy types and triggers the engine knows: the built-in ones, plus every provider of any
 * imported module whose class is marked `@PolicyTypeExtension()` or `@PolicyTrigger()`.
 */
@Injectable()
export class PolicyExtensions implements OnModuleInit {
  private readonly logger = new Logger(PolicyExtensions.name);
  readonly types = new PolicyTypeRegistry();
  private readonly triggers = new Map<string, TriggerType>();

  constructor(
    private readonly discovery: DiscoveryService,
    executeWorkflow: ExecuteWorkflowTrigger,
  ) {
    this.triggers.set(executeWorkflow.name, executeWorkflow);
  }

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const { metatype, instance } = wrapper;
      if (!metatype || !instance) continue;
      const kind = policyExtensionKind(metatype);
      if (kind === 'trigger') {
        const trigger = instance as TriggerType;
        this.triggers.set(trigger.name, trigger);
        this.logger.log(`policy trigger ${trigger.name} registered`);
      } else if (kind === 'policy-type') {
        const type = instance as PolicyType;
        this.types.register(type);
        this.logger.log(`policy type ${type.name} registered`);
      }
    }
  }

  trigger(name: string): TriggerType | undefined {
    return this.triggers.get(name);
  }
}
