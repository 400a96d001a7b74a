import { documentClient } from '../adapters/dynamodb-client';
import { DynamoDbProgrammeStore } from '../adapters/dynamodb-programme-store';
import { allProgrammes } from '../core/programmes/catalogue';
import { catalogueOf } from '../core/programmes/catalogue-snapshot';
import { seedProgrammes } from '../core/programmes/manage-programmes';
import type { ProgrammeCatalogue } from '../ports/programme-store';
import { auditLog } from './audit-log';
import { now, once, setting } from './settings';

/** Programmes in DynamoDB (issue 13); saving appends to the audit trail, so only writers need AUDIT_TABLE. */
export const programmeStore = once(
  () => new DynamoDbProgrammeStore(documentClient, setting('PROGRAMMES_TABLE'), once(auditLog)),
);

/**
 * How long a container keeps the catalogue it read: an edit made through the console reaches every
 * function within this, and a busy function reads the (small) table at most twice a minute.
 */
const CATALOGUE_TTL_MS = 30_000;

let cached: { readAt: number; catalogue: Promise<ProgrammeCatalogue> } | undefined;

/**
 * The programme catalogue a handler judges by: every stored version of every programme, read from the
 * programmes table and kept for CATALOGUE_TTL_MS. A read that fails is not kept.
 */
export async function programmeCatalogue(): Promise<ProgrammeCatalogue> {
  const at = Date.now();
  if (!cached || at - cached.readAt >= CATALOGUE_TTL_MS) {
    const catalogue = programmeStore()
      .everyVersion()
      .then((versions) => catalogueOf(versions));
    cached = { readAt: at, catalogue };
    catalogue.catch(() => {
      if (cached?.catalogue === catalogue) cached = undefined;
    });
  }
  return cached.catalogue;
}

/** Forgets the catalogue read, so the next call reads the table: after this container saved a change. */
export function forgetProgrammeCatalogue() {
  cached = undefined;
}

/**
 * Puts the shipped programmes (the seed, functions/core/programmes/seed/programmes.json) the table lacks;
 * the one place besides the catalogue's own tests that reads the seed.
 */
export const seedShippedProgrammes = () => seedProgrammes(programmeStore(), allProgrammes(), now());
