/**
 * Extracts the Kemendagri villages of the regencies Jaring serves (functions/core/regions/data/regencies.json)
 * from the npm package idn-area-data into functions/core/regions/data/regions.json. Lambdas are bundled by
 * esbuild, so they carry this small JSON instead of reading the package's CSVs at runtime.
 *
 *   npx tsx scripts/extract-regions.ts          # rewrite the JSON
 *   (test/unit/regions/villages.test.ts fails when the JSON drifts from the package)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { RegionsData } from '../functions/core/regions/regions-data';
import { servedRegencies } from '../functions/core/regions/regencies';

const dataDir = join(dirname(createRequire(import.meta.url).resolve('idn-area-data/package.json')), 'data');

function readCsv(file: string): Record<string, string>[] {
  return parse(readFileSync(join(dataDir, file)), {
    columns: true,
    skip_empty_lines: true,
    bom: true,
    relax_quotes: true,
  });
}

export function extractRegions(regencyCodes: readonly string[]): RegionsData {
  const wanted = [...new Set(regencyCodes)].sort();
  const regencies = readCsv('regencies.csv');
  const districts = readCsv('districts.csv');
  const villages = readCsv('villages.csv');
  return RegionsData.parse({
    source: 'idn-area-data (Kepmendagri)',
    regencies: wanted.map((code) => {
      const regency = regencies.find((r) => r.code === code);
      if (!regency) throw new Error(`regency ${code} is not in idn-area-data`);
      const ownDistricts = districts
        .filter((d) => d.regency_code === code)
        .sort((a, b) => a.code!.localeCompare(b.code!));
      const districtCodes = new Set(ownDistricts.map((d) => d.code));
      return {
        code,
        name: regency.name,
        districts: ownDistricts.map((d) => ({ code: d.code, name: d.name })),
        villages: villages
          .filter((v) => districtCodes.has(v.district_code))
          .sort((a, b) => a.code!.localeCompare(b.code!))
          .map((v) => ({ code: v.code, name: v.name, districtCode: v.district_code })),
      };
    }),
  });
}

/** The regencies served: from their records, not the programmes, so villages exist before a first programme. */
export const servedRegencyCodes = () => servedRegencies().map((r) => r.code);

export const REGIONS_JSON = join(
  dirname(fileURLToPath(import.meta.url)),
  '../functions/core/regions/data/regions.json',
);

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const data = extractRegions(servedRegencyCodes());
  writeFileSync(REGIONS_JSON, `${JSON.stringify(data, null, 1)}\n`);
  for (const r of data.regencies)
    console.log(`${r.code} ${r.name}: ${r.districts.length} kecamatan, ${r.villages.length} desa/kelurahan`);
}
