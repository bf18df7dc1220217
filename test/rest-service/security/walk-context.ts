import type { RestTestApp } from '../../support/rest-app';
import type { OpenApiDocument } from './openapi-walk';

/** The running service and its OpenAPI document, shared by the walks of one suite. */
export interface WalkContext {
  rest: RestTestApp;
  doc: OpenApiDocument;
}
