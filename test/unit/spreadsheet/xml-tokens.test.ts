import { describe, expect, it } from 'vitest';
import { XmlError, XmlTokenizer, attributesOf } from '../../../functions/core/spreadsheet/xml-tokens';

/** Every token as a string, with adjacent text joined (text may arrive in several pieces). */
function tokens(chunks: string[]): string[] {
  const out: string[] = [];
  const push = (t: string) => {
    if (t.startsWith('text:') && out.at(-1)?.startsWith('text:')) out[out.length - 1] += t.slice(5);
    else out.push(t);
  };
  const tokenizer = new XmlTokenizer({
    open: (name, raw, selfClosing) =>
      push(`open:${name}${selfClosing ? '/' : ''} ${JSON.stringify(attributesOf(raw))}`),
    close: (name) => push(`close:${name}`),
    text: (text) => push(`text:${text}`),
  });
  for (const c of chunks) tokenizer.write(c);
  tokenizer.end();
  return out;
}

const doc =
  '<?xml version="1.0" encoding="UTF-8"?>\n<!-- a comment with <c> inside -->' +
  '<x:worksheet xmlns:x="urn:main" xmlns:r="urn:rel"><x:sheetData><x:row r="1" spans=\'1:2\'>' +
  '<x:c r="A1" t="inlineStr"><x:is><x:t xml:space="preserve"> Siti &amp; Budi &#233;&#x41; &lt;3 </x:t></x:is></x:c>' +
  '<x:c r="B1" note="a > b"><x:v>42</x:v></x:c><x:c r="C1"/><x:c r="D1" t="str"><x:v><![CDATA[<raw> & text]]></x:v></x:c>' +
  '</x:row></x:sheetData></x:worksheet>';

describe('XmlTokenizer', () => {
  it('gives the same tokens however the text is cut into chunks', () => {
    const whole = tokens([doc]);
    expect(whole).toContain('text: Siti & Budi éA <3 ');
    expect(whole).toContain('open:c {"r":"B1","note":"a > b"}');
    expect(whole).toContain('open:c/ {"r":"C1"}');
    expect(whole).toContain('text:<raw> & text');
    expect(whole).toContain('open:sheetData {}');
    expect(whole).not.toContainEqual(expect.stringContaining('comment'));
    for (let cut = 1; cut < doc.length; cut++)
      expect(tokens([doc.slice(0, cut), doc.slice(cut)]), `cut at ${cut}`).toEqual(whole);
    expect(tokens([...doc])).toEqual(whole);
  });

  it('reads attributes by local name, decoded', () => {
    expect(attributesOf(' name="Data &amp; Rekap" r:id="rId3" state=\'hidden\'')).toEqual({
      name: 'Data & Rekap',
      id: 'rId3',
      state: 'hidden',
    });
    expect(attributesOf('')).toEqual({});
  });

  it('refuses a DOCTYPE (entity definitions) and a cut-off tag', () => {
    expect(() => tokens(['<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'])).toThrow(XmlError);
    expect(() => tokens(['<sheetData><row r="1"'])).toThrow(XmlError);
  });
});
