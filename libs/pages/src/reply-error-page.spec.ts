import { createHash } from 'node:crypto';
import { PageInputError, renderReplyStatusPage, replyPageStyleHash } from './index.js';

const statusHtml = (...args: Parameters<typeof renderReplyStatusPage>): string =>
  renderReplyStatusPage(...args).html;

// The page for a failure on our side: statusHtml('ERROR', …, { requestId }).
describe("the reply pages' error page", () => {
  const contact = { name: 'KOMBIT snitfladeteamet', email: 'snitflader@kombit.example' };
  const requestId = '0b7c6a52-2f0e-4d8e-9a51-3c1f0f8d2e11';

  it.each([
    ['da', 'Der opstod en fejl', 'fejlreferencen'],
    ['en', 'Something went wrong', 'error reference'],
  ] as const)(
    '(%s) says so, quotes the request id and names whom to contact',
    (language, title, reference) => {
      const html = statusHtml('ERROR', language, contact, undefined, { requestId });
      expect(html).toContain(`<html lang="${language}">`);
      expect(html).toContain(`<h1>${title}</h1>`);
      expect(html).toContain(`${reference} <strong>${requestId}</strong>`);
      expect(html).toContain('<a href="mailto:snitflader@kombit.example">snitflader@kombit.example</a>');
      expect(html).not.toMatch(/<script/i);
      // The same stylesheet as every reply page, so the page's Content-Security-Policy allows it.
      const css = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
      expect(`'sha256-${createHash('sha256').update(css).digest('base64')}'`).toBe(replyPageStyleHash());
    },
  );

  it('escapes the request id and needs one', () => {
    const html = statusHtml('ERROR', 'en', contact, undefined, { requestId: '<b>x</b>' });
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(() => statusHtml('ERROR', 'en', contact)).toThrow(PageInputError);
    expect(() => statusHtml('ERROR', 'en', contact, undefined, { requestId: ' ' })).toThrow(PageInputError);
  });
});
