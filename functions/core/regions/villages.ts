import * as z from 'zod';
import regionsJson from './data/regions.json';
import { RegionsData } from './regions-data';

/**
 * Kemendagri villages (desa and kelurahan) of the regencies Jaring serves. The data is extracted
 * from idn-area-data into data/regions.json (scripts/extract-regions.ts) and bundled with the code.
 */

export const VillageKind = z.enum(['desa', 'kelurahan']);
export type VillageKind = z.infer<typeof VillageKind>;

export const Village = z.object({
  code: z.string(),
  name: z.string(),
  districtCode: z.string(),
  districtName: z.string(),
  kind: VillageKind,
});
export type Village = z.infer<typeof Village>;

/**
 * Kemendagri numbers kelurahan 1xxx and desa 2xxx within a kecamatan. Only a desa has an APBDes,
 * so the kind decides which funding sources a village may propose under.
 */
export function villageKindOf(code: string): VillageKind | undefined {
  const serial = code.split('.')[3];
  if (serial?.startsWith('1')) return 'kelurahan';
  if (serial?.startsWith('2')) return 'desa';
  return undefined;
}

const data = RegionsData.parse(regionsJson);

const villages = new Map<string, Village>();
const byRegency = new Map<string, Village[]>();
for (const regency of data.regencies) {
  const districtNames = new Map(regency.districts.map((d) => [d.code, d.name]));
  const list: Village[] = [];
  for (const v of regency.villages) {
    const kind = villageKindOf(v.code);
    const districtName = districtNames.get(v.districtCode);
    if (!kind || !districtName) throw new Error(`regions.json: village ${v.code} has no kind or kecamatan`);
    const village: Village = { code: v.code, name: v.name, districtCode: v.districtCode, districtName, kind };
    villages.set(v.code, village);
    list.push(village);
  }
  byRegency.set(regency.code, list);
}

/** A village by its Kemendagri code ("62.03.01.2001"), if it lies in a regency Jaring serves. */
export function findVillage(code: string): Village | undefined {
  return villages.get(code.trim());
}

/** Every desa and kelurahan of a regency ("62.03"), in code order; empty for a regency we do not carry. */
export function villagesOfRegency(regencyCode: string): readonly Village[] {
  return byRegency.get(regencyCode) ?? [];
}

/** The kecamatan of a regency, in code order. */
export function districtsOfRegency(regencyCode: string): readonly { code: string; name: string }[] {
  return data.regencies.find((r) => r.code === regencyCode)?.districts ?? [];
}
