// Two projects: fast unit specs beside the code, and e2e suites under test/ that talk to
// real PostgreSQL and RabbitMQ (or the embedded defaults).
const moduleNameMapper = {
  '^@nestify/(.*)$': '<rootDir>/libs/$1/src',
};
// Transpile only: `npm run typecheck` checks types once for the whole tree, much faster than per file.
const transform = {
  '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  // ESM-only dependencies (Node loads them with require(); Jest cannot) compiled to CommonJS.
  '^.+\\.js$': ['ts-jest', { diagnostics: false, tsconfig: { allowJs: true, module: 'commonjs' } }],
};
// Those dependencies: content-disposition 3, under @fastify/static (Swagger UI's assets on Fastify).
const transformIgnorePatterns = [
  '^(?!.*/node_modules/@fastify/static/node_modules/content-disposition/).*/node_modules/',
];

module.exports = {
  // e2e suites boot apps and talk to real servers; unit specs finish far sooner.
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: __dirname,
      roots: ['<rootDir>/apps', '<rootDir>/libs'],
      testMatch: ['**/*.spec.ts'],
      moduleFileExtensions: ['ts', 'js', 'json'],
      transform,
      transformIgnorePatterns,
      moduleNameMapper,
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: __dirname,
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.e2e-spec.ts'],
      moduleFileExtensions: ['ts', 'js', 'json'],
      transform,
      transformIgnorePatterns,
      moduleNameMapper,
    },
  ],
};
