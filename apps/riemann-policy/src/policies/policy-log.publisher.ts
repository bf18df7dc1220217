import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EXCHANGES, MESSAGE_BUS, MessageBus } from '@nestify/messaging';
import type { DecisionReport } from '@nestify/policies';

/**
 * Tells the story of a trigger in the execution it started: a `cloudify_log` from logger
 * `policy` (as Cloudify 4's Riemann wrote), so `events list -e <execution>` shows why it ran.
 */
@Injectable()
export class PolicyLogPublisher {
  private readonly logger = new Logger(PolicyLogPublisher.name);

  constructor(@Inject(MESSAGE_BUS) private readonly bus: MessageBus) {}

  async publish({ firing, message, executionIds }: DecisionReport): Promise<void> {
    const { spec } = firing.policy;
    const { breach } = firing;
    const text =
      `policy ${spec.groupName}.${spec.policyName} (${spec.type}) fired: ${breach.diagnose} ` +
      `on ${breach.metric.nodeInstanceId} (${breach.metric.service} = ${breach.metric.value}); ${message}`;
    for (const executionId of executionIds) {
      const log = {
        message_id: randomUUID(),
        type: 'cloudify_log',
        timestamp: new Date().toISOString(),
        logger: 'policy',
        level: 'info',
        message: { text },
        context: {
          execution_id: executionId,
          tenant_name: spec.tenantName,
          deployment_id: spec.deploymentId,
          node_id: breach.metric.nodeInstanceId,
          node_name: breach.metric.nodeName,
        },
      };
      await this.bus
        .publish(EXCHANGES.logs, '', log, { messageId: log.message_id })
        .catch((error: Error) =>
          this.logger.warn(`could not publish a policy log: ${error.message}`),
        );
    }
  }
}
