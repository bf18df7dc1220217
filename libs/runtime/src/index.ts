export * from './app-name';
export * from './app-core.module';
export * from './bootstrap';
export * from './run-main';
export * from './prometheus/app-metrics.registry';
export * from './prometheus/metrics-http.server';
export * from './prometheus/prometheus.module';
export { ROOT_LOGGER } from './logging';
