// The import rules `npm test` enforces (`npm run check:imports`): the domain core stays free of AWS, CDK
// and HTTP, and nothing in functions/, infra/ or workflows/ imports in a circle.
//
// Why dependency-cruiser: it is the maintained tool made for exactly these two rules (forbidden imports
// by path or package, and cycles), declared in one file, run from the command line, and it follows
// type-only imports too. TypeScript 7 has no compiler API for it to parse with, so it parses with swc
// (@swc/core), which it supports as well.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-stays-pure',
      comment:
        'functions/core holds the programme rules: no AWS SDK, CDK, Lambda types, middy or HTTP, and nothing from ' +
        'the adapters, handlers, wiring or infra that wrap it. Reach the outside through functions/ports.',
      severity: 'error',
      from: { path: '^functions/core/' },
      to: {
        path: [
          '^functions/(adapters|handlers|wiring)/',
          '^infra/',
          '^workflows/',
          '(^|/)node_modules/(@aws-sdk|@smithy|@aws-cdk|@aws-lambda-powertools|@middy|@types/aws-lambda)/',
          '(^|/)node_modules/(aws-sdk|aws-cdk-lib|aws-cdk|constructs|cdk-nag|aws-jwt-verify)/',
          '^(node:)?(http|https|http2)$',
        ],
      },
    },
    {
      name: 'pages-only-present',
      comment:
        'functions/pages renders HTML from what the core hands it: no storage, SDK or HTTP of its own, so a page ' +
        'cannot fetch or write anything.',
      severity: 'error',
      from: { path: '^functions/pages/' },
      to: {
        path: [
          '^functions/(adapters|handlers|wiring|ports)/',
          '(^|/)node_modules/(@aws-sdk|@smithy|@aws-lambda-powertools|@middy)/',
          '^(node:)?(http|https|http2)$',
        ],
      },
    },
    {
      name: 'programmes-read-per-invocation',
      comment:
        'Handlers and wiring judge by the programmes as they stand (issue 13): `await programmeCatalogue()` from ' +
        'functions/wiring/programmes.ts, read once per invocation, not the shipped seed catalogue, which is ' +
        'what a Dinas Sosial edit made through the console never reaches.',
      severity: 'error',
      from: { path: '^functions/(handlers|wiring)/', pathNot: '^functions/wiring/programmes\\.ts$' },
      to: { path: '^functions/core/programmes/catalogue\\.ts$' },
    },
    {
      name: 'no-circular',
      comment: 'An import cycle: modules that need each other load in an order that depends on who came first.',
      severity: 'error',
      from: { path: '^(functions|infra|workflows)/' },
      to: { circular: true },
    },
    {
      name: 'no-unresolvable',
      comment: 'An import the checker cannot resolve would slip past the rules above.',
      severity: 'error',
      from: { path: '^(functions|infra|workflows)/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    parser: 'swc',
    doNotFollow: { path: 'node_modules' },
    // swc reads the source as written, so type-only imports count too: a core that names an AWS type is tied
    // to AWS all the same. (tsPreCompilationDeps would ask for the TypeScript compiler API, which 7 lacks.)
    enhancedResolveOptions: {
      // Subpath exports (Powertools' `@aws-lambda-powertools/logger/middleware`) exist only in package.json's
      // `exports`, which dependency-cruiser ignores unless told.
      exportsFields: ['exports'],
      extensions: ['.ts', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
      conditionNames: ['import', 'require', 'node', 'types', 'default'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
