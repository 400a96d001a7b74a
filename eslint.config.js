// The lint `npm test` runs (`npm run lint`): mistakes the type checker lets through, above all a promise
// nobody waits for (a write that may not have happened when a Lambda returns) and a promise handed where a
// plain callback is expected (an event handler whose rejection nobody sees).
//
// Rules with type information come from typescript-eslint, loaded through tools/typescript-eslint: it needs
// TypeScript 5.9's compiler API, and `tsc` here is TypeScript 7 (see tools/typescript-eslint/index.js).
// Formatting is Prettier's; the only layout rule here is the line length, which Prettier cannot always keep
// (long strings and comments), so the two never fight and eslint-config-prettier is not needed.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import stylistic from '@stylistic/eslint-plugin';
import tseslint from 'jaring-typescript-eslint';

export default defineConfig(
  { ignores: ['node_modules/', 'cdk.out/', '.jaring/', 'coverage/', 'tools/typescript-eslint/node_modules/'] },
  js.configs.recommended,
  // recommended-type-checked: it holds no-floating-promises and no-misused-promises, plus checks that catch real
  // slips (awaiting a non-promise, a base-to-string "[object Object]", an unneeded assertion hiding a type).
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // One TypeScript program for the files tsconfig.json covers; the scripts outside it get a default one.
        projectService: { allowDefaultProject: ['scripts/upload-proposal.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { '@stylistic': stylistic },
    rules: {
      // A `let` that a callback reads before its one assignment (a signal handler before the stack is up) cannot
      // become a `const` declared later: the callback would hit the temporal dead zone.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // A leading underscore marks what is dropped on purpose (`const { ttl: _ttl, ...item } = row`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // zod's named `z` is the namespace object of everything zod exports, locales included: esbuild must keep
      // all of it (264 KB in every bundle). The namespace import lets it keep only the schemas a function uses.
      // (no-restricted-imports would refuse the namespace import too: it counts `* as z` as importing every name.)
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='zod'] > ImportSpecifier[imported.name='z']",
          message: "Write `import * as z from 'zod'`: the named z keeps every zod locale in the bundle.",
        },
      ],
      // Lines up to 120 columns, as Prettier formats them (.prettierrc.json). URLs, strings, template literals and
      // regular expressions may run longer: Prettier does not break them, and cutting a message or a pattern in two
      // only makes it harder to find.
      '@stylistic/max-len': [
        'error',
        {
          code: 120,
          ignoreUrls: true,
          ignoreStrings: true,
          ignoreTemplateLiterals: true,
          ignoreRegExpLiterals: true,
        },
      ],
    },
  },
  {
    // The local stack (emulators answering AWS SDK requests, CloudFormation templates read as JSON) and the
    // scripts handle untyped JSON by nature; there `any` is honest and the no-unsafe-* family would flag every
    // property read. The Lambda code keeps these rules: its boundary is a zod schema, so an `any` is a hole in it.
    files: ['infra/local/**', 'scripts/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Tests are linted without type information: with it, linting the whole tree took about 90 s of CPU (TypeScript
    // 5.9 checking the CDK and test types again), over a third of it for test/. The Lambda code, the stacks, the
    // local stack and the scripts, where a forgotten promise loses a write, keep every type-aware rule.
    // `any` stays allowed there too, for the same untyped JSON (response bodies, synthesized templates).
    files: ['test/**'],
    extends: [tseslint.configs.disableTypeChecked],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Plain JavaScript (the set-up script, tool configs) is outside tsconfig.json: no type information.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', module: 'writable', require: 'readonly' },
    },
  },
);
