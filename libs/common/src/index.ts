export * from './errors';
export * from './ids';
export * from './time';
export * from './logger';
export * from './visibility';
export * from './periodic-job';
export * from './maybe-async';
