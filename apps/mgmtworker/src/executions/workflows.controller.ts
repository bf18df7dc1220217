import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { NestifyContext, QUEUES } from '@nestify/messaging';
import { ExecutionRunner } from './execution-runner';
import { parseWorkflowMessage } from './execution-message';
import { RunningExecutions } from './running-executions';

/**
 * The workflow queue: a start (or resume) request runs its execution to the end before the
 * message is acknowledged — a worker that dies mid-run leaves it to be redelivered; a cancel
 * request makes the running executions' statuses be read at once.
 */
@Controller()
export class WorkflowsController {
  private readonly logger = new Logger(WorkflowsController.name);

  constructor(
    private readonly runner: ExecutionRunner,
    private readonly running: RunningExecutions,
  ) {}

  @EventPattern(QUEUES.workflows)
  async onWorkflowMessage(@Payload() body: unknown, @Ctx() context: NestifyContext): Promise<void> {
    const message = parseWorkflowMessage(body);
    if (message.kind === 'cancel') {
      this.logger.log(
        { executionId: message.executionId, action: message.action },
        'cancel request',
      );
      if (message.token) {
        this.running.useToken(message.executionId, message.tenantName, message.token);
      }
      await this.running.pollNow();
      return;
    }
    await this.runner.run(message, context.getMessage().redelivered);
  }
}
