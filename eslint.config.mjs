import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'build/**',
      'coverage/**',
      'test-results/**',
      'bin/**',
      'data/**',
      '.tools/**',
      '.dependency-cruiser.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // The dependency rule of DESIGN.md: only src/m365 talks to Graph, remediation never sees botbuilder.
    files: ['src/remediation/**/*.ts', 'src/store/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['botbuilder*', '**/teams/**', '**/server/**', '@microsoft/microsoft-graph-client'] },
      ],
    },
  },
  {
    files: ['src/simulator/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['**/m365/**', '**/remediation/**', '**/teams/**', '**/store/**', 'botbuilder*'] },
      ],
    },
  },
  {
    files: ['src/m365/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['**/remediation/**', '**/teams/**', '**/store/**', '**/simulator/**'] },
      ],
    },
  },
);
