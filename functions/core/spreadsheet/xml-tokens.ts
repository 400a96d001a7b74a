/**
 * A streaming tokenizer for the XML inside an XLSX: tags, attributes and text, fed chunk by chunk
 * so a sheet never has to be held whole. It knows only what SpreadsheetML parts use; a DOCTYPE
 * (entity definitions, the "billion laughs") is refused, since no spreadsheet writes one.
 * Element and attribute names lose their namespace prefix: the OpenXML SDK writes `<x:row>`.
 */

export interface XmlHandler {
  /** `attributes` is the raw text after the name; parse it with `attributesOf` only when needed. */
  open(name: string, attributes: string, selfClosing: boolean): void;
  close(name: string): void;
  text(text: string): void;
}

export class XmlError extends Error {
  override name = 'XmlError';
}

/** One token longer than this is not a spreadsheet (Excel's longest cell is 32,767 characters). */
const MAX_PENDING = 4 * 1024 * 1024;

export class XmlTokenizer {
  private pending = '';

  constructor(private readonly handler: XmlHandler) {}

  write(chunk: string): void {
    const s = this.pending + chunk;
    const n = s.length;
    let i = 0;
    while (i < n) {
      const lt = s.indexOf('<', i);
      if (lt === -1) break; // text runs on into the next chunk (an entity may be cut in two)
      if (lt > i) this.handler.text(decodeEntities(s.slice(i, lt)));
      const code = s.charCodeAt(lt + 1);
      if (Number.isNaN(code)) {
        i = lt;
        break;
      }
      if (code === 0x21 /* ! */) {
        if (n - lt < 9) {
          i = lt;
          break;
        }
        if (s.startsWith('<!--', lt)) {
          const end = s.indexOf('-->', lt + 4);
          if (end === -1) {
            i = lt;
            break;
          }
          i = end + 3;
        } else if (s.startsWith('<![CDATA[', lt)) {
          const end = s.indexOf(']]>', lt + 9);
          if (end === -1) {
            i = lt;
            break;
          }
          this.handler.text(s.slice(lt + 9, end));
          i = end + 3;
        } else {
          throw new XmlError('DOCTYPE or unknown markup');
        }
        continue;
      }
      if (code === 0x3f /* ? */) {
        const end = s.indexOf('?>', lt + 2);
        if (end === -1) {
          i = lt;
          break;
        }
        i = end + 2;
        continue;
      }
      const end = tagEnd(s, lt + 1);
      if (end === -1) {
        i = lt;
        break;
      }
      if (code === 0x2f /* / */) {
        this.handler.close(localName(s.slice(lt + 2, end).trim()));
      } else {
        const selfClosing = s.charCodeAt(end - 1) === 0x2f;
        const stop = selfClosing ? end - 1 : end;
        let space = lt + 1;
        while (space < stop && s.charCodeAt(space) > 0x20) space += 1;
        this.handler.open(localName(s.slice(lt + 1, space)), space < stop ? s.slice(space + 1, stop) : '', selfClosing);
      }
      i = end + 1;
    }
    this.pending = i < n ? s.slice(i) : '';
    if (this.pending.length > MAX_PENDING) throw new XmlError('token too long');
  }

  /** The part has ended: anything left is either trailing text or a cut-off tag. */
  end(): void {
    if (this.pending.includes('<')) throw new XmlError('truncated markup');
    this.pending = '';
  }
}

/** The `>` that closes a tag, skipping any inside quoted attribute values. */
function tagEnd(s: string, from: number): number {
  let quote = 0;
  for (let k = from; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) quote = c;
    else if (c === 0x3e) return k;
  }
  return -1;
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

/** Attributes by local name (`r:id` is `id`), values decoded. Scanned by hand: it runs for every cell. */
export function attributesOf(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  const n = raw.length;
  let i = 0;
  while (i < n) {
    while (i < n && raw.charCodeAt(i) <= 0x20) i += 1;
    const eq = raw.indexOf('=', i);
    if (eq === -1) break;
    let q = eq + 1;
    while (q < n && raw.charCodeAt(q) <= 0x20) q += 1;
    const quote = raw[q];
    if (quote !== '"' && quote !== "'") break;
    const close = raw.indexOf(quote, q + 1);
    if (close === -1) break;
    out[localName(raw.slice(i, eq).trim())] = decodeEntities(raw.slice(q + 1, close));
    i = close + 1;
  }
  return out;
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (whole, ref: string) => {
    if (ref[0] !== '#') return NAMED[ref]!;
    const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}
