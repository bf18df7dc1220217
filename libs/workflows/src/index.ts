// Task-graph engine, workflow API and built-in workflows (framework-free).
export * from './ports';
