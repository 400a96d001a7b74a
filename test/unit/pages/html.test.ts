import { describe, expect, it } from 'vitest';
import { markup, messagePage, page, trusted } from '../../../functions/pages/html';

describe('the escaping template', () => {
  it('escapes every value put into it, in text and in attributes', () => {
    const name = '<script>alert("x")</script>';
    expect(markup`<a title="${name}">${name}</a>`.value).toBe(
      '<a title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</a>',
    );
  });

  it('keeps markup built with it as it is, joins lists and leaves out what is absent', () => {
    const items = ['a&b', 'c'].map((i) => markup`<li>${i}</li>`);
    expect(markup`<ul>${items}</ul>${undefined}${false}${null}`.value).toBe('<ul><li>a&amp;b</li><li>c</li></ul>');
  });
});

describe('the page frame', () => {
  it('gives every page the same head: doctype, Indonesian, a viewport, the title and its style', () => {
    const html = page({ title: 'Usulan <x>', style: trusted('body{margin:0}'), body: markup`<p>isi</p>` });
    expect(html.startsWith('<!doctype html>\n<html lang="id"><head><meta charset="utf-8">')).toBe(true);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('<title>Usulan &lt;x&gt; - Jaring</title><style>body{margin:0}</style></head>');
    expect(html).not.toContain('<script');
    expect(html).toContain('<body><p>isi</p></body></html>');
  });

  it('loads the console script from the site itself only where a page asks for it', () => {
    const html = page({ title: 'Masuk', style: trusted(''), body: markup``, script: '/app.js' });
    expect(html).toContain('<script src="/app.js" defer></script></head>');
  });

  it('shows a refusal as a small page with the message escaped', () => {
    const html = messagePage('Berkas <b>salah</b>');
    expect(html).toContain('<title>Jaring</title>');
    expect(html).toContain('<p>Berkas &lt;b&gt;salah&lt;/b&gt;</p>');
  });
});
