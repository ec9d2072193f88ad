/**
 * A minimal HTML builder whose only way to insert a value is escaped: the `html` tag escapes
 * every interpolation unless it is already `SafeHtml` (produced by this module). So a field
 * can only reach the markup raw if the code says so in this file, never by forgetting to call
 * an escape function at a call site.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | null | undefined | readonly HtmlValue[];

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for use in element content and in quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) {
    out += render(values[i]) + (strings[i + 1] ?? '');
  }
  return new SafeHtml(out);
}

/** Escaped text whose line breaks survive in HTML (free text from suppliers and coordinators). */
export function multiline(text: string): SafeHtml {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  return new SafeHtml(lines.map(escapeHtml).join('<br>\n'));
}
