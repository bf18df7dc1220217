import type { ExecutionStatus, ExecutionStore } from '@nestify/workflows';

/** A status change the REST service refused (e.g. the execution was cancelled meanwhile). */
export class ExecutionStatusRejectedError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

export interface RestEndpoint {
  /** `http://host:port` of the REST service. */
  baseUrl: string;
  executionId: string;
  executionToken: string;
}

/**
 * Writes the execution's status through the REST service's PATCH /executions/{id}, with the
 * execution token — so the transition table, the deployment statuses and the queue that starts
 * waiting executions live in one place (the REST service), as with Cloudify's workflows.
 */
/** With the delays below (0.2 s doubling to 5 s): about a minute of tries. */
const MAX_ATTEMPTS = 16;

export class RestExecutionStore implements ExecutionStore {
  constructor(
    private endpoint: RestEndpoint,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** A kill revokes the execution's token; the kill message carries the new one. */
  useToken(executionToken: string): void {
    this.endpoint = { ...this.endpoint, executionToken };
  }

  async setStatus(status: ExecutionStatus, error?: string): Promise<void> {
    const url = `${this.endpoint.baseUrl}/api/v3.1/executions/${encodeURIComponent(this.endpoint.executionId)}`;
    const body: Record<string, string> = { status };
    if (error !== undefined) body.error = error;
    const response = await this.withRetries(() =>
      this.fetchImpl(url, {
        method: 'PATCH',
        headers: {
          'Content-Type': 'application/json',
          'Execution-Token': this.endpoint.executionToken,
        },
        body: JSON.stringify(body),
      }),
    );
    if (response.ok) return;
    const text = await response.text();
    let parsed: { message?: string; error_code?: string } = {};
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      parsed = { message: text };
    }
    throw new ExecutionStatusRejectedError(
      response.status,
      parsed.error_code,
      `Setting execution ${this.endpoint.executionId} to ${status} was refused (${response.status}): ${parsed.message ?? text}`,
    );
  }

  /**
   * Connection errors and 5xx answers are retried for about a minute (the REST service or its
   * database may be restarting: an end status must not be lost to that); other answers are not.
   */
  private async withRetries(call: () => Promise<Response>): Promise<Response> {
    let delay = 200;
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await call();
        if (response.status < 500 || attempt >= MAX_ATTEMPTS) return response;
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 5000);
    }
  }
}
