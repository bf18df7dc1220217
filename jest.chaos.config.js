// `npm run test:chaos`: issue 10's chaos suite, apart from `npm test` because it restarts the
// machine's RabbitMQ and PostgreSQL. Same transform as jest.config.js; one suite, run alone.
const base = require('./jest.config.js');
const e2e = base.projects.find((project) => project.displayName === 'e2e');

module.exports = {
  ...e2e,
  displayName: 'chaos',
  roots: ['<rootDir>/test/chaos'],
  testMatch: ['**/*.chaos-spec.ts'],
  testTimeout: 90000,
  // Faults hit shared servers: never two chaos suites at once.
  maxWorkers: 1,
};
