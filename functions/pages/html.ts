import { escapeHtml } from '../core/html/escape';

/** Markup that is already safe: built by `markup`, or by `trusted` for a constant the page itself writes. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

type Slot = SafeHtml | string | number | false | null | undefined | readonly Slot[];

const render = (slot: Slot): string => {
  if (slot === undefined || slot === null || slot === false) return '';
  if (slot instanceof SafeHtml) return slot.value;
  if (Array.isArray(slot)) return slot.map(render).join('');
  return escapeHtml(String(slot));
};

/**
 * The one way pages are written: every value put into the template is escaped (text and attribute
 * values alike) unless it is itself `markup`, so a file name, a note or a link cannot become markup.
 * Arrays are joined; `undefined`, `null` and `false` render nothing, for optional parts. (Not named
 * `html`: formatters reformat templates with that tag as HTML, which would change what pages send.)
 */
export function markup(strings: TemplateStringsArray, ...values: Slot[]): SafeHtml {
  return new SafeHtml(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]) : ''), ''));
}

/** A constant of the page's own (a style sheet): never for anything that came from a request or a record. */
export const trusted = (constant: string) => new SafeHtml(constant);

/**
 * Every page's frame: doctype, Indonesian language, viewport for phones, title and the page's style
 * sheet (inline: the pages' security policy allows inline style and nothing else inline), and the
 * console's script where a page has one (served from the site itself, `script-src 'self'`).
 */
export function page(options: { title?: string; style: SafeHtml; body: SafeHtml; script?: string }): string {
  return markup`<!doctype html>
<html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title ? `${options.title} - Jaring` : 'Jaring'}</title><style>${options.style}</style>${
    options.script ? markup`<script src="${options.script}" defer></script>` : undefined
  }</head>
<body>${options.body}</body></html>`.value;
}

/** The style of the pages a mailed link opens (approval, decision, proposal, refusals). */
export const LINK_PAGE_STYLE =
  trusted(`body{font-family:system-ui,sans-serif;max-width:42em;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse}td,th{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:left}
button{font-size:1.05em;padding:.5em 1.2em;margin:.3em .5em .3em 0;cursor:pointer}
.approve{background:#1b7f3b;color:#fff;border:0}.reject{background:#b3261e;color:#fff;border:0}
textarea{width:100%;min-height:4em}.note{color:#555}`);

/** A refusal as a small Indonesian page, for a person in a browser. */
export const messagePage = (message: string) => page({ style: LINK_PAGE_STYLE, body: markup`<p>${message}</p>` });
