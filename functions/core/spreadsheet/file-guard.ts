import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Parse, type Entry } from 'unzipper';
import type { Pace } from './pace';
import { SheetError } from './sheet-error';

/**
 * Checks made on the whole file before a single row is read, streaming so memory stays flat:
 * what the bytes are (not what the name says), whether a zip inflates into a bomb, and which
 * text encoding a CSV uses. The file is read again afterwards (the source gives fresh streams).
 */

export type ReadLimits = {
  /** Data rows accepted in one proposal; more is a mistake or an attack, not a village. */
  maxRows: number;
  /**
   * Total bytes a zip may inflate to. A 100,000-row proposal inflates to about 25 MB of sheet
   * XML (measured with exceljs, 10 columns); 200 MB leaves room for wide sheets. The reader
   * inflates the file once per pass (xlsx-reader.ts) and holds only the shared strings.
   */
  maxUncompressedBytes: number;
  /**
   * Inflated / compressed bytes. Real sheet XML compresses 5-30x (repetitive sheets up to ~60x);
   * deflate can reach ~1000x, which only a crafted file does. Checked once past ratioCheckAfterBytes
   * so a tiny, very regular file (an empty template) is not refused.
   */
  maxCompressionRatio: number;
  ratioCheckAfterBytes: number;
  /** Raw bytes of a CSV: 100,000 rows are ~20 MB; anything far beyond is not a village list. */
  maxCsvBytes: number;
  /** How far down a sheet the header may sit (titles, logos and blank rows above it). */
  headerSearchRows: number;
  /**
   * Characters in all data cells together. A 100,000-row proposal holds ~15 million; the inflate
   * cap does not bound this, since one shared string can fill any number of cells, and every
   * character is written again into the report.
   */
  maxCellChars: number;
  /** Epoch milliseconds by which the file must have been read; past it the file is refused (FILE_TOO_SLOW). */
  readBy?: number;
};

export const DEFAULT_LIMITS: ReadLimits = {
  maxRows: 200_000,
  maxUncompressedBytes: 200 * 1024 * 1024,
  maxCompressionRatio: 100,
  ratioCheckAfterBytes: 10 * 1024 * 1024,
  maxCsvBytes: 100 * 1024 * 1024,
  headerSearchRows: 30,
  maxCellChars: 100_000_000,
};

export type SourceStream = NodeJS.ReadableStream | Readable;

export function toReadable(stream: SourceStream): Readable {
  return stream instanceof Readable ? stream : new Readable().wrap(stream);
}

export type FileKind = 'zip' | 'text' | 'utf16';

/** The first bytes of a file, enough to recognise it. */
export async function readPrefix(stream: SourceStream, size = 8192): Promise<Buffer> {
  const readable = toReadable(stream);
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of readable) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      chunks.push(buffer);
      length += buffer.length;
      if (length >= size) break;
    }
  } finally {
    readable.destroy();
  }
  return Buffer.concat(chunks).subarray(0, size);
}

const startsWith = (prefix: Buffer, bytes: number[]) => bytes.every((b, i) => prefix[i] === b);

const uploadInstead = 'Unggah file Excel (.xlsx) atau CSV memakai template usulan.';

/** Recognise the file by its bytes; anything not a spreadsheet we read is refused with what to upload instead. */
export function sniffFileKind(prefix: Buffer): FileKind {
  if (prefix.length === 0) throw new SheetError('FILE_EMPTY', `File kosong (0 byte). ${uploadInstead}`);
  if (startsWith(prefix, [0x50, 0x4b, 0x03, 0x04])) return 'zip';
  if (startsWith(prefix, [0x25, 0x50, 0x44, 0x46])) {
    throw new SheetError(
      'FILE_IS_PDF',
      `File ini PDF, bukan spreadsheet. Data dalam PDF tidak dapat dibaca. ${uploadInstead}`,
    );
  }
  if (startsWith(prefix, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    throw new SheetError(
      'FILE_IS_OLD_EXCEL',
      'File ini format Excel lama (.xls) atau dokumen Word lama (.doc). Buka di Excel lalu pilih "Simpan Sebagai" > "Buku Kerja Excel (.xlsx)", kemudian unggah ulang.',
    );
  }
  if (
    startsWith(prefix, [0x89, 0x50, 0x4e, 0x47]) ||
    startsWith(prefix, [0xff, 0xd8, 0xff]) ||
    startsWith(prefix, [0x47, 0x49, 0x46, 0x38])
  ) {
    throw new SheetError(
      'FILE_IS_IMAGE',
      `File ini gambar/foto, bukan spreadsheet. Foto daftar tidak dapat dibaca. ${uploadInstead}`,
    );
  }
  if (startsWith(prefix, [0xff, 0xfe]) || startsWith(prefix, [0xfe, 0xff])) return 'utf16';
  if (prefix.includes(0)) {
    throw new SheetError('FILE_NOT_SPREADSHEET', `File ini bukan spreadsheet yang dapat dibaca. ${uploadInstead}`);
  }
  const head = prefix.subarray(0, 512).toString('latin1').trimStart().toLowerCase();
  if (head.startsWith('<html') || head.startsWith('<!doctype') || head.startsWith('<?xml')) {
    throw new SheetError(
      'FILE_NOT_SPREADSHEET',
      `File ini halaman web/XML yang diberi nama spreadsheet. Buka di Excel lalu simpan sebagai .xlsx. ${uploadInstead}`,
    );
  }
  return 'text';
}

/** Counts bytes flowing through, so the guard knows how much of the zip it has consumed. */
function byteCounter(onBytes: (n: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      onBytes(chunk.length);
      callback(null, chunk);
    },
  });
}

/** A zip entry's name as compared here: forward slashes, no leading slash, lower case (OPC part names ignore case). */
export const partName = (path: string) => path.replace(/\\/g, '/').replace(/^\/+/, '').toLowerCase();

/** A part kept whole for the reader (the workbook's sheet list) is small; bigger is not a workbook we read. */
const MAX_KEPT_PART = 8 * 1024 * 1024;

export type ZipInspection = { names: string[]; kept: Map<string, Buffer> };

/**
 * Inflate every entry once, counting, and refuse a zip bomb before any XML is parsed; then tell
 * apart an XLSX from a renamed DOCX, PPTX or an ODS. Returns the entry names (see partName) and
 * the bytes of the entries named in `keep`.
 */
export async function inspectZip(
  stream: SourceStream,
  limits: ReadLimits,
  keep: readonly string[] = [],
  pace?: Pace,
): Promise<ZipInspection> {
  let compressed = 0;
  let inflated = 0;
  const names: string[] = [];
  const kept = new Map<string, Buffer>();
  const input = toReadable(stream);
  const zip = Parse({ forceStream: true });
  const feeding = pipeline(
    input,
    byteCounter((n) => (compressed += n)),
    zip,
  ).catch((error: unknown) => error);
  try {
    for await (const item of zip) {
      const entry = item as Entry;
      const name = partName(entry.path);
      names.push(name);
      const keeping = keep.includes(name) && !kept.has(name) ? ([] as Buffer[]) : undefined;
      let keptBytes = 0;
      for await (const chunk of entry) {
        await pace?.step();
        inflated += (chunk as Buffer).length;
        if (keeping) {
          keeping.push(chunk as Buffer);
          keptBytes += (chunk as Buffer).length;
          if (keptBytes > MAX_KEPT_PART) throw corrupt();
        }
        if (inflated > limits.maxUncompressedBytes) {
          throw new SheetError(
            'FILE_TOO_LARGE',
            `Isi file terlalu besar (lebih dari ${Math.round(limits.maxUncompressedBytes / 1024 / 1024)} MB setelah dibuka). Pecah usulan menjadi beberapa file, atau hapus sheet dan gambar yang tidak perlu.`,
          );
        }
        if (inflated > limits.ratioCheckAfterBytes && inflated / Math.max(compressed, 1) > limits.maxCompressionRatio) {
          throw new SheetError(
            'FILE_SUSPICIOUS_COMPRESSION',
            'File ini tidak wajar: isinya membengkak ratusan kali saat dibuka (ciri "zip bomb"). File tidak diproses. Simpan ulang data di Excel sebagai .xlsx baru dan unggah kembali.',
          );
        }
      }
      if (keeping) kept.set(name, Buffer.concat(keeping));
    }
  } catch (error) {
    input.destroy();
    zip.destroy();
    if (error instanceof SheetError) throw error;
    throw corrupt();
  }
  const failure = await feeding;
  if (failure) throw corrupt();
  return { names, kept };
}

export const corrupt = () =>
  new SheetError(
    'FILE_CORRUPT',
    'File rusak atau tidak lengkap sehingga tidak dapat dibuka. Buka di Excel, simpan ulang sebagai .xlsx, lalu unggah kembali.',
  );

/** Name what a zip that is not an XLSX actually is (names as partName gives them). */
export function assertXlsxEntries(names: string[]): void {
  if (names.includes('xl/workbook.xml')) return;
  if (names.some((n) => n.startsWith('word/'))) {
    throw new SheetError(
      'FILE_IS_WORD',
      `File ini dokumen Word yang diberi nama spreadsheet. Salin tabelnya ke Excel, simpan sebagai .xlsx. ${uploadInstead}`,
    );
  }
  if (names.includes('mimetype') && names.includes('content.xml')) {
    throw new SheetError(
      'FILE_IS_ODS',
      'File ini format OpenDocument (.ods). Di LibreOffice pilih "Simpan Sebagai" > "Excel 2007-365 (.xlsx)", lalu unggah ulang.',
    );
  }
  throw new SheetError('FILE_NOT_SPREADSHEET', `File ini arsip zip, bukan spreadsheet Excel. ${uploadInstead}`);
}

export type TextEncoding = 'utf8' | 'win1252' | 'utf16';

/**
 * One pass over a CSV: valid UTF-8 throughout means UTF-8; any invalid sequence means the file
 * came from a Windows machine in Windows-1252 (Excel's "CSV" on Indonesian Windows).
 */
export async function inspectText(
  stream: SourceStream,
  kind: 'text' | 'utf16',
  limits: ReadLimits,
  pace?: Pace,
): Promise<TextEncoding> {
  const input = toReadable(stream);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let utf8 = kind === 'text';
  let size = 0;
  try {
    for await (const chunk of input) {
      await pace?.step();
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      size += buffer.length;
      if (size > limits.maxCsvBytes) {
        throw new SheetError(
          'FILE_TOO_LARGE',
          `File CSV terlalu besar (lebih dari ${Math.round(limits.maxCsvBytes / 1024 / 1024)} MB). Pecah usulan menjadi beberapa file.`,
        );
      }
      if (kind === 'text' && buffer.includes(0)) {
        throw new SheetError('FILE_NOT_SPREADSHEET', `File ini bukan teks CSV yang dapat dibaca. ${uploadInstead}`);
      }
      if (utf8) {
        try {
          decoder.decode(buffer, { stream: true });
        } catch {
          utf8 = false;
        }
      }
    }
    if (utf8) {
      try {
        decoder.decode();
      } catch {
        utf8 = false;
      }
    }
  } finally {
    input.destroy();
  }
  if (kind === 'utf16') return 'utf16';
  return utf8 ? 'utf8' : 'win1252';
}
