// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import importPlugin from 'eslint-plugin-import';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.nestify/**', '*.js', '*.mjs', 'scripts/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    plugins: { import: importPlugin },
    settings: {
      'import/resolver': { typescript: { project: './tsconfig.json' } },
    },
    rules: {
      'import/no-cycle': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'error',
    },
  },
  {
    // Libs never import apps; import other libs only through their @nestify/<lib> barrel.
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/apps/**'], message: 'Libs never import apps.' },
            { group: ['**/libs/*/src/**', '../../*/src/**'], message: 'Import other libs via @nestify/<lib>.' },
          ],
        },
      ],
    },
  },
  {
    // libs/messaging knows nothing of the storage model.
    files: ['libs/messaging/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: '@nestify/model', message: 'libs/messaging never imports libs/model.' }] },
      ],
    },
  },
  {
    // The blueprint parser is plain TypeScript: runnable from a CLI or a test with nothing booted.
    files: ['libs/dsl/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@nestjs/*'], message: 'libs/dsl is framework-free.' },
            { group: ['@nestify/*', '!@nestify/common'], message: 'libs/dsl depends on nothing of ours but libs/common.' },
          ],
        },
      ],
    },
  },
  {
    // The workflow engine is plain TypeScript behind ports: the mgmtworker and local mode plug in
    // storage, dispatch and events; the engine itself never touches Nest, the database or a broker.
    files: ['libs/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@nestjs/*'], message: 'libs/workflows is framework-free.' },
            {
              group: ['@nestify/*', '!@nestify/common', '!@nestify/dsl', '!@nestify/plugin-sdk'],
              message: 'libs/workflows depends only on libs/common, libs/dsl and libs/plugin-sdk.',
            },
          ],
        },
      ],
    },
  },
  {
    // Apps talk to each other over RabbitMQ, never by import. The standalone launcher is the one
    // composition root allowed to import every app module.
    files: ['apps/rest-service/**/*.ts', 'apps/mgmtworker/**/*.ts', 'apps/logstash-bridge/**/*.ts', 'apps/riemann-policy/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/apps/**', '../../*/src/**'], message: 'Apps never import each other.' }] },
      ],
    },
  },
  {
    // Tests may print and use loose types for fixtures.
    files: ['test/**/*.ts', '**/*.spec.ts', 'bench/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
