// Lint rules the codebase holds itself to (see ../shared/STYLE.md, item 15).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/dist-test/**', '**/dist-docs/**', 'node_modules/**', 'tmp/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    // Type-only imports of classes used in decorated constructors would erase the metadata
    // that constructor injection reads; the rule knows this when told.
    languageOptions: { parserOptions: { emitDecoratorMetadata: true, experimentalDecorators: true } },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Decorated classes that only carry metadata (composites) are legitimately empty.
      '@typescript-eslint/no-extraneous-class': 'off',
    },
  },
);
