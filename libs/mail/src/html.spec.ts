import { escapeHtml, html, multiline, SafeHtml } from './html.js';

describe('html', () => {
  it('escapes every interpolation unless it is SafeHtml', () => {
    const evil = `<script>alert("x")</script>&'`;
    expect(escapeHtml(evil)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
    expect(html`<p title="${evil}">${evil}</p>`.value).toBe(
      `<p title="${escapeHtml(evil)}">${escapeHtml(evil)}</p>`,
    );
    expect(html`<b>${[evil, html`<i>${evil}</i>`]}</b>`.value).toBe(
      `<b>${escapeHtml(evil)}<i>${escapeHtml(evil)}</i></b>`,
    );
    expect(html`${null}${undefined}${0}`.value).toBe('0');
    expect(html`${new SafeHtml('<br>')}`.value).toBe('<br>');
  });

  it('keeps line breaks of free text as <br>', () => {
    expect(multiline('a<b\r\nc').value).toBe('a&lt;b<br>\nc');
  });
});
