import { HttpException, type JsonMap, RecoverableError } from '@nestify/plugin-sdk';
import {
  AgentRecord,
  ManagerClient,
  ManagerCredentials,
  ManagerNode,
  ManagerNodeInstance,
  VersionConflictError,
} from './manager-client';

const API = '/api/v3.1';
/** Connection failures are retried this many times; HTTP answers never are. */
const CONNECT_ATTEMPTS = 3;
const CONNECT_RETRY_MS = 500;
const REQUEST_TIMEOUT_MS = 30_000;

/** The manager's REST API as the ctx uses it, with the `Execution-Token` and `Tenant` headers. */
export class RestManagerClient implements ManagerClient {
  constructor(private readonly credentials: ManagerCredentials) {}

  async getNode(deploymentId: string, nodeId: string): Promise<ManagerNode> {
    const query = new URLSearchParams({ deployment_id: deploymentId, id: nodeId });
    const page = (await this.json('GET', `${API}/nodes?${query}`)) as { items: ManagerNode[] };
    const node = page.items[0];
    if (!node) throw new HttpException(`${API}/nodes`, 404, `node ${nodeId} not found`);
    return node;
  }

  async getNodeInstance(instanceId: string): Promise<ManagerNodeInstance> {
    const path = `${API}/node-instances/${encodeURIComponent(instanceId)}`;
    return (await this.json('GET', path)) as ManagerNodeInstance;
  }

  async updateRuntimeProperties(
    instanceId: string,
    version: number,
    runtimeProperties: JsonMap,
  ): Promise<ManagerNodeInstance> {
    const path = `${API}/node-instances/${encodeURIComponent(instanceId)}`;
    const body = { version, runtime_properties: runtimeProperties };
    return (await this.json('PATCH', path, body)) as ManagerNodeInstance;
  }

  async getBlueprintResource(blueprintId: string, path: string): Promise<Buffer> {
    const segments = [this.credentials.tenant, blueprintId, ...path.split('/')]
      .filter((segment) => segment !== '')
      .map(encodeURIComponent);
    const response = await this.request('GET', `/resources/blueprints/${segments.join('/')}`);
    return Buffer.from(await response.arrayBuffer());
  }

  async putAgent(name: string, agent: AgentRecord): Promise<void> {
    await this.json('PUT', `${API}/agents/${encodeURIComponent(name)}`, agent);
    // A record from an earlier install is answered as it was: its state still has to move.
    await this.setAgentState(name, agent.state);
  }

  async getOperationState(operationId: string): Promise<string | null> {
    const path = `${API}/operations/${encodeURIComponent(operationId)}`;
    try {
      const operation = (await this.json('GET', path)) as { state?: unknown };
      return typeof operation.state === 'string' ? operation.state : null;
    } catch (error) {
      if (error instanceof HttpException && error.code === 404) return null;
      throw error;
    }
  }

  async setAgentState(name: string, state: string): Promise<void> {
    await this.json('PATCH', `${API}/agents/${encodeURIComponent(name)}`, { state });
  }

  private async json(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await this.request(method, path, body);
    return response.json();
  }

  private async request(method: string, path: string, body?: unknown): Promise<Response> {
    const url = `${this.credentials.baseUrl.replace(/\/$/, '')}${path}`;
    const response = await this.fetchWithRetry(url, method, body);
    if (response.ok) return response;
    const text = await response.text();
    const message = errorMessageOf(text) ?? `${method} ${path}: HTTP ${response.status}`;
    if (response.status === 409) throw new VersionConflictError(message);
    if (response.status >= 500) throw new RecoverableError(message);
    throw new HttpException(url, response.status, message);
  }

  private async fetchWithRetry(url: string, method: string, body: unknown): Promise<Response> {
    const headers: Record<string, string> = { Tenant: this.credentials.tenant };
    if (this.credentials.executionToken) {
      headers['Execution-Token'] = this.credentials.executionToken;
    }
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await fetch(url, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
      } catch (error) {
        if (attempt >= CONNECT_ATTEMPTS) {
          throw new RecoverableError(`cannot reach the manager at ${url}: ${String(error)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, CONNECT_RETRY_MS * attempt));
      }
    }
  }
}

/** The `message` of Cloudify's error body, when the answer is one. */
function errorMessageOf(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    return typeof parsed.message === 'string' ? parsed.message : undefined;
  } catch {
    return undefined;
  }
}
