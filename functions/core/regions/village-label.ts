import { findVillage } from './villages';

/** "Desa Sei Tatas (62.03.01.2011)": people know their village by name, the code makes it exact. */
export function villageLabel(code: string): string {
  const v = findVillage(code);
  return v ? `${v.kind === 'desa' ? 'Desa' : 'Kelurahan'} ${v.name} (${code})` : `desa/kelurahan ${code}`;
}
