export * from './environment';
export * from './nestify-config';
export * from './config.module';
