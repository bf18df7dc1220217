// In-memory ports: test doubles for the engine's seams, also usable by local mode.
export * from './in-memory-deployment-store';
export * from './in-memory-ports';
export * from './blueprint-fixtures';
export * from './sample-blueprints';
