// What plugin code sees: the operation ctx types, errors and plugin registration.
export * from './json';
export * from './errors';
export * from './context';
export * from './plugin';
