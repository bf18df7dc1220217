export { NestifyClient } from './client';
export { ManagerError, ManagerUnreachableError } from './errors';
export { HttpTransport } from './http';
export type { ClientOptions, Credentials, HttpExchange } from './http';
export { ROUTES, routePath } from './routes';
export type { HttpMethod, RouteName } from './routes';
export { SseParser } from './sse';
export type { SseMessage, StreamHandlers } from './sse';
export * from './types';
