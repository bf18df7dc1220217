export * from './app-name';
export * from './app-core.module';
export * from './bootstrap';
export * from './run-main';
