import { CustomResource, Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { JaringFunction, PROJECT_ROOT } from './jaring-function';

/** The seed the function bundles (functions/core/programmes/catalogue.ts reads it). */
const PROGRAMME_SEED_FILE = 'functions/core/programmes/seed/programmes.json';

/** The custom resource's type: the local stack runs resources of this type at every start. */
const PROGRAMME_SEED_TYPE = 'Custom::ProgrammeSeed';

/**
 * Loads the shipped programmes into the programmes table at deployment (issue 13): a custom resource
 * whose function puts each seed programme the table lacks and leaves every other alone
 * (functions/handlers/programmes-seed.ts). The seed's hash is a property, so a deployment that
 * changes the seed runs it again (an Update) and a new seed programme arrives; one that does not,
 * does not. The function writes programmes (new versions only: `readAppend`) and their
 * PROGRAMME_CREATED events.
 */
export class ProgrammeSeed extends Construct {
  readonly function: JaringFunction;

  constructor(scope: Construct, id: string, props: { programmes: ITableV2; audit: ITableV2 }) {
    super(scope, id);
    this.function = new JaringFunction(this, 'Function', {
      entry: 'functions/handlers/programmes-seed.ts',
      description: 'Puts the shipped programmes the programmes table lacks (at deployment)',
      timeout: Duration.minutes(2),
    })
      .bindTable({ table: props.programmes, envVarName: 'PROGRAMMES_TABLE', access: 'readAppend' })
      .bindTable({ table: props.audit, envVarName: 'AUDIT_TABLE', access: 'readAppend' });
    const seedHash = createHash('sha256')
      .update(readFileSync(resolve(PROJECT_ROOT, PROGRAMME_SEED_FILE)))
      .digest('hex');
    new CustomResource(this, 'Resource', {
      resourceType: PROGRAMME_SEED_TYPE,
      serviceToken: this.function.functionArn,
      properties: { SeedHash: seedHash },
    });
  }
}
