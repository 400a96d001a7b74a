import { afterAll, describe, expect, it } from 'vitest';
import { ENTRY_METADATA } from '../../infra/constructs/jaring-function';
import { resourcesOfType, synthesizeApp, tokensToText } from './synthesized-app';

const app = synthesizeApp({ bundling: false });
afterAll(app.cleanUp);

const functions = resourcesOfType(app.templates.stateless, 'AWS::Lambda::Function').map(([, fn]) => ({
  entry: fn.Metadata?.[ENTRY_METADATA] as string,
  environment: fn.Properties?.Environment?.Variables as Record<string, unknown>,
}));

describe('function settings', () => {
  const saved = { ...process.env };
  afterAll(() => {
    process.env = saved;
  });

  // Each handler builds what it needs from its settings on its first event; here that build runs
  // with nothing but what the template gives the function, as in AWS (no local endpoints).
  it.each(functions)('$entry finds every setting it reads in its own environment', async ({ entry, environment }) => {
    process.env = {
      AWS_REGION: 'ap-southeast-3',
      ...Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, tokensToText(v)])),
    };
    const { wiring } = (await import(`../../${entry}`)) as { wiring: () => unknown };
    expect(() => wiring()).not.toThrow();
  });
});
