import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import {
  Consumer,
  IncomingMessage,
  MESSAGE_BUS,
  MessageBus,
  QUEUES,
  RejectMessageError,
} from '@nestify/messaging';
import { Metric, MetricFormatError, parseMetrics } from '@nestify/policies';
import { PolicyMetrics } from '../observability/policy-metrics';
import { PolicyEngineService } from './policy-engine.service';

/** Many metrics in flight: evaluating one takes microseconds, so the broker round trip dominates. */
const PREFETCH = 2000;

/**
 * Consumes `riemann-policy` (bound `#` on `cloudify-monitoring`) straight from the bus and feeds
 * the engine; starts after the engine rebuilt its state, so no metric meets an empty state.
 */
@Injectable()
export class PoliciesConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PoliciesConsumer.name);
  private consumer?: Consumer;

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    private readonly policies: PolicyEngineService,
    private readonly metrics: PolicyMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.policies.ready;
    this.consumer = await this.bus.consume(QUEUES.policies, this.handle, { prefetch: PREFETCH });
    this.logger.log(`evaluating metrics from ${QUEUES.policies}`);
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer?.cancel();
    this.consumer = undefined;
  }

  private readonly handle = async (message: IncomingMessage): Promise<void> => {
    this.metrics.received.inc({ queue: QUEUES.policies });
    let metrics: Metric[];
    try {
      metrics = parseMetrics(message.body, message.routingKey);
    } catch (error) {
      if (!(error instanceof MetricFormatError)) throw error;
      this.metrics.rejected.inc({ reason: 'invalid_metric' });
      throw new RejectMessageError('invalid_metric', error.message);
    }
    for (const metric of metrics) await this.policies.observe(metric);
  };
}
