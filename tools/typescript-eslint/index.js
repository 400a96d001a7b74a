// typescript-eslint needs TypeScript's JavaScript compiler API (5.x); TypeScript 7, which type-checks this
// project (`tsc`), is a native compiler without it. This workspace package depends on both typescript-eslint
// and TypeScript 5.9, so npm installs them together here (tools/typescript-eslint/node_modules) and
// typescript-eslint's `require('typescript')` finds 5.9, while the root keeps TypeScript 7.
// The root package.json's `overrides` make every package below this one (ts-api-utils too) take 5.9.
// eslint.config.js imports typescript-eslint through this module, since the root cannot resolve it.
export { default } from 'typescript-eslint';
