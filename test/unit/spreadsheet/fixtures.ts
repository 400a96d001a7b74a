import { Readable } from 'node:stream';
import { deflateRawSync, crc32 } from 'node:zlib';
import ExcelJS from 'exceljs';
import type { ProposalSource } from '../../../functions/core/spreadsheet/read-proposal-sheet';

/** Fixtures are built by the tests themselves, so each one shows the damage it carries. */

export const source = (bytes: Buffer | string, fileName = 'usulan.xlsx'): ProposalSource => {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  // Several chunks, so nothing relies on the whole file arriving at once.
  return { fileName, body: () => Readable.from(chunks(buffer, 997)) };
};

function* chunks(buffer: Buffer, size: number) {
  for (let i = 0; i < buffer.length; i += size) yield buffer.subarray(i, i + size);
}

export async function xlsx(build: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export const HEADER = ['No', 'NIK', 'Nama Lengkap', 'Tanggal Lahir', 'Jenis Kelamin', 'Pekerjaan'];

/** A zip whose entries are given raw; `inflated` bytes of zeros deflate to almost nothing. */
export function handMadeZip(entries: { name: string; data?: Buffer; zeros?: number }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const plain = entry.data ?? Buffer.alloc(entry.zeros ?? 0);
    const packed = deflateRawSync(plain, { level: 9 });
    const name = Buffer.from(entry.name);
    const crc = crc32(plain);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(plain.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(plain.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

// ---------------------------------------------------------------------------------------------
// Raw XLSX parts, for the shapes Excel-like tools do not write but other tools do.

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RELS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Cell XML: a string written inline (no shared strings needed), a number, a shared-string index. */
export const inline = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${escape(text)}</t></is></c>`;
export const num = (ref: string, n: number, style?: number) =>
  `<c r="${ref}"${style === undefined ? '' : ` s="${style}"`}><v>${n}</v></c>`;
export const shared = (ref: string, index: number) => `<c r="${ref}" t="s"><v>${index}</v></c>`;
/** A row of inline strings from column A; `r` undefined leaves the attribute out. */
export const textRow = (r: number | undefined, values: string[]) =>
  `<row${r === undefined ? '' : ` r="${r}"`}>${values.map((v, i) => inline(`${String.fromCharCode(65 + i)}${r ?? ''}`, v)).join('')}</row>`;

export type RawSheet = { name: string; sheetData: string; state?: 'hidden' | 'veryHidden' };

/**
 * A workbook from raw parts, in Excel's own entry order (workbook, its rels, sheets, styles, then
 * shared strings last) unless `order` rearranges the entry names.
 */
export function rawXlsx(
  sheets: RawSheet[],
  options: { strings?: string[]; styles?: string; order?: (names: string[]) => string[]; prefix?: string } = {},
): Buffer {
  const p = options.prefix ? `${options.prefix}:` : '';
  const ns = options.prefix ? `xmlns:${options.prefix}="${MAIN}"` : `xmlns="${MAIN}"`;
  const parts = new Map<string, string>();
  parts.set(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>',
  );
  parts.set(
    '_rels/.rels',
    `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  );
  parts.set(
    'xl/workbook.xml',
    `<?xml version="1.0" encoding="UTF-8"?><${p}workbook ${ns} xmlns:r="${RELS}"><${p}sheets>${sheets
      .map(
        (s, i) =>
          `<${p}sheet name="${escape(s.name)}" sheetId="${i + 1}"${s.state ? ` state="${s.state}"` : ''} r:id="rId${i + 1}"/>`,
      )
      .join('')}</${p}sheets></${p}workbook>`,
  );
  parts.set(
    'xl/_rels/workbook.xml.rels',
    `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets
      .map((_, i) => `<Relationship Id="rId${i + 1}" Type="${RELS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`)
      .join('')}<Relationship Id="rIdS" Type="${RELS}/styles" Target="styles.xml"/>${
      options.strings ? `<Relationship Id="rIdT" Type="${RELS}/sharedStrings" Target="sharedStrings.xml"/>` : ''
    }</Relationships>`,
  );
  sheets.forEach((s, i) =>
    parts.set(
      `xl/worksheets/sheet${i + 1}.xml`,
      `<?xml version="1.0" encoding="UTF-8"?><${p}worksheet ${ns}><${p}sheetData>${s.sheetData}</${p}sheetData></${p}worksheet>`,
    ),
  );
  parts.set(
    'xl/styles.xml',
    `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="${MAIN}">${options.styles ?? '<cellXfs count="1"><xf numFmtId="0"/></cellXfs>'}</styleSheet>`,
  );
  if (options.strings) {
    parts.set(
      'xl/sharedStrings.xml',
      `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${MAIN}" count="${options.strings.length}">${options.strings.map((s) => `<si><t>${escape(s)}</t></si>`).join('')}</sst>`,
    );
  }
  const names = options.order ? options.order([...parts.keys()]) : [...parts.keys()];
  return handMadeZip(names.map((name) => ({ name, data: Buffer.from(parts.get(name)!) })));
}

/** Moves the named entries to the end of the zip, keeping the rest in order. */
export const last =
  (...moved: string[]) =>
  (names: string[]) => [...names.filter((n) => !moved.includes(n)), ...moved];
