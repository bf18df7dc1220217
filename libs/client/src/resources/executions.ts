import type { HttpTransport } from '../http';
import type { Execution, ExecutionAction, ListQuery, ListResponse, StartExecution } from '../types';

export class ExecutionsClient {
  constructor(private readonly http: HttpTransport) {}

  list(query: ListQuery = {}): Promise<ListResponse<Execution>> {
    return this.http.call('executionsList', { query });
  }

  get(id: string): Promise<Execution> {
    return this.http.call('executionsGet', { params: { id } });
  }

  start(body: StartExecution): Promise<Execution> {
    return this.http.call('executionsStart', { json: body });
  }

  /** cancel, force-cancel, kill, resume, force-resume. */
  act(id: string, action: ExecutionAction): Promise<Execution> {
    return this.http.call('executionsAction', { params: { id }, json: { action } });
  }
}
