import { createHash } from 'node:crypto';
import { type Language, type OrderSummary, REPLY_TEXT_MAX_LENGTH } from '@snitflow/mail';
import {
  PageInputError,
  REPLY_STATUS_HTTP,
  REPLY_STATUS_KINDS,
  type ReplyPageView,
  type ReplyStatusKind,
  renderReplyPage,
  renderReplyStatusPage,
  replyPageHeaders,
  replyPageStyleHash,
} from './index.js';

const replyHtml = (view: ReplyPageView): string => renderReplyPage(view).html;
type StatusArgs = Parameters<typeof renderReplyStatusPage>;
/** An EMAIL_RECEIVED page needs the day the email arrived; the generic cases give one. */
const statusHtml = (
  kind: StatusArgs[0],
  language: StatusArgs[1],
  contact: StatusArgs[2],
  order?: StatusArgs[3],
  options: StatusArgs[4] = kind === 'EMAIL_RECEIVED' ? { receivedOn: '2026-12-01' } : {},
): string => renderReplyStatusPage(kind, language, contact, order, options).html;

const order = (): OrderSummary => ({
  reference: 'B-00042',
  interfaceKey: 'SF0800',
  interfaceTitle: 'Feriekonto online opslag',
  dataElements: [
    { code: 'DE-CPR', name: 'CPR-nummer' },
    { code: 'DE-SALDO', name: 'Feriepengesaldo' },
  ],
  needBy: '2026-06-01',
  projects: ['Ydelsesprojektet', 'Sygedagpengeprojektet'],
  replyBy: '2026-03-13',
  supplierName: 'ATP',
});

const view = (language: Language, extra: Partial<ReplyPageView> = {}): ReplyPageView => ({
  language,
  order: order(),
  recipientName: 'Hanne Hansen',
  formAction: '/reply/abcDEF',
  csrfToken: '1760000000000.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ',
  ...extra,
});

/** Opening tags of a given element, with their attributes parsed (enough for this markup). */
function tags(html: string, name: string): Record<string, string>[] {
  const found: Record<string, string>[] = [];
  for (const m of html.matchAll(new RegExp(`<${name}(\\s[^>]*)?>`, 'g'))) {
    const attrs: Record<string, string> = {};
    for (const a of (m[1] ?? '').matchAll(/([a-zA-Z-]+)(?:="([^"]*)")?/g)) attrs[a[1] ?? ''] = a[2] ?? '';
    found.push(attrs);
  }
  return found;
}

/** No script, no event handler attributes, no javascript: URLs: the pages work without JS. */
function expectNoScript(html: string): void {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/\son[a-z]+=/i);
  expect(html).not.toMatch(/javascript:/i);
}

describe('renderReplyPage', () => {
  it.each(['da', 'en'] as const)('is an accessible, script-free form page (%s)', (language) => {
    const html = replyHtml(view(language));
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(`<html lang="${language}">`);
    expect(html.match(/<h1[\s>]/g)).toHaveLength(1);
    expect(html).toContain('<main>');
    expectNoScript(html);

    const forms = tags(html, 'form');
    expect(forms).toHaveLength(1);
    expect(forms[0]).toMatchObject({ method: 'post', action: '/reply/abcDEF' });

    const inputs = [...tags(html, 'input'), ...tags(html, 'textarea')];
    const hidden = inputs.filter((i) => i.type === 'hidden');
    expect(hidden).toContainEqual({
      type: 'hidden',
      name: 'csrf',
      value: '1760000000000.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ',
    });
    const labelled = new Set(tags(html, 'label').map((l) => l.for));
    const visible = inputs.filter((i) => i.type !== 'hidden');
    expect(visible.length).toBeGreaterThan(0);
    for (const input of visible) {
      expect(input.id).toBeTruthy();
      expect(labelled.has(input.id)).toBe(true);
    }
    // Ids are unique, so every label points at exactly one control.
    expect(new Set(visible.map((i) => i.id)).size).toBe(visible.length);

    const radios = visible.filter((i) => i.type === 'radio');
    expect(radios.map((r) => [r.name, r.value])).toEqual([
      ['answer', 'accept'],
      ['answer', 'propose'],
      ['answer', 'question'],
      ['answer', 'decline'],
    ]);
    const byName = Object.fromEntries(visible.filter((i) => i.type !== 'radio').map((i) => [i.name, i]));
    expect(byName.priceKroner?.type).toBe('text');
    expect(byName.deliveryDate?.type).toBe('date');
    for (const name of ['conditions', 'question', 'reason', 'note']) {
      expect(tags(html, 'textarea').find((t) => t.name === name)?.maxlength).toBe(
        String(REPLY_TEXT_MAX_LENGTH),
      );
    }
    expect(tags(html, 'button')).toEqual([{ type: 'submit' }]);

    // Every fieldset has a legend, and the radio group is one of them.
    expect(html.match(/<fieldset[\s>]/g)?.length).toBe(html.match(/<legend>/g)?.length);
    expect(html).toMatch(/<fieldset[^>]*>\s*<legend>[^<]+<\/legend>(?:(?!<\/fieldset>)[\s\S])*name="answer"/);

    // The order itself: data elements in a table with column headers, dates, projects.
    expect(html).toMatch(/<th scope="col">/);
    for (const text of [
      'DE-CPR',
      'Feriepengesaldo',
      'Ydelsesprojektet',
      'Sygedagpengeprojektet',
      'B-00042',
    ]) {
      expect(html).toContain(text);
    }
    expect(html).toContain(language === 'da' ? 'fredag den 13. marts 2026' : 'Friday 13 March 2026');
    expect(html).toContain(language === 'da' ? '1. juni 2026' : '1 June 2026');
    expect(html).toContain(language === 'da' ? 'Højst 4.000 tegn.' : 'At most 4,000 characters.');

    // Visible focus is styled, for every kind of control.
    expect(html).toMatch(
      /a:focus,\s*input:focus,\s*textarea:focus,\s*button:focus[^{]*\{\s*outline:\s*3px solid/,
    );
  });

  it('links to the other language on the same page', () => {
    expect(replyHtml(view('da'))).toContain('href="/reply/abcDEF?lang=en" hreflang="en" lang="en"');
    expect(replyHtml(view('en'))).toContain('href="/reply/abcDEF?lang=da" hreflang="da" lang="da"');
    expect(replyHtml(view('da', { formAction: '/reply/x?lang=da&a=1#top' }))).toContain(
      'href="/reply/x?lang=en&amp;a=1"',
    );
    expect(replyHtml(view('da', { pageUrl: 'https://snitflow.example/r/x' }))).toContain(
      'href="https://snitflow.example/r/x?lang=en"',
    );
  });

  it('shows the coordinators’ proposal and an open question', () => {
    const html = replyHtml(
      view('da', {
        proposal: { priceOere: '12500000', deliveryDate: '2026-05-01', conditions: 'Linje 1\nLinje 2' },
        openQuestion: 'Kan I levere i maj?',
      }),
    );
    expect(html).toContain('Koordinatorernes forslag');
    expect(html).toContain('125.000,00 kr.');
    expect(html).toContain('1. maj 2026');
    expect(html).toContain('Linje 1<br>\nLinje 2');
    expect(html).toContain('Vi accepterer koordinatorernes forslag');
    expect(html).toContain('Kan I levere i maj?');
    expect(
      replyHtml(view('en', { proposal: { priceOere: '100', deliveryDate: null, conditions: null } })),
    ).toContain('DKK 1.00');
  });

  it('re-shows errors and what was typed after a rejected POST', () => {
    const html = replyHtml(
      view('en', {
        errors: ['Write your question.'],
        values: { answer: 'question', priceKroner: '12,5', question: '\nStarts with a newline' },
      }),
    );
    expect(html).toMatch(/<title>Error: /);
    expect(html).toMatch(/<div class="errors" role="alert"[^>]*>\s*<h2 id="errors-heading">/);
    expect(html).toContain('<li>Write your question.</li>');
    expect(html).toContain('value="question" checked>');
    expect(html).toContain('name="priceKroner" value="12,5"');
    // One newline is eaten by the HTML parser after <textarea>; the value's own survives.
    expect(html).toMatch(/name="question"[^>]*>\n\nStarts with a newline<\/textarea>/);
  });

  it('escapes everything interpolated, in text and in attributes', () => {
    const evil = `"'><script>alert(1)</script>`;
    const html = replyHtml({
      language: 'da',
      order: {
        reference: evil,
        interfaceKey: evil,
        interfaceTitle: evil,
        dataElements: [{ code: evil, name: evil }],
        needBy: null,
        projects: [evil],
        replyBy: null,
        supplierName: evil,
      },
      recipientName: evil,
      formAction: `/reply/x?${evil}`,
      csrfToken: evil,
      openQuestion: evil,
      proposal: { priceOere: null, deliveryDate: null, conditions: evil },
      errors: [evil],
      values: {
        answer: evil,
        note: evil,
        priceKroner: evil,
        deliveryDate: evil,
        conditions: evil,
        question: evil,
        reason: evil,
      },
    });
    expectNoScript(html);
    expect(html).not.toContain(`"'>`);
    expect(html).toContain('&quot;&#39;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('name="csrf" value="&quot;&#39;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
  });

  it('has a style block matching the exported CSP hash, and no inline style attributes', () => {
    const html = replyHtml(
      view('da', { errors: ['x'], proposal: { priceOere: '1', deliveryDate: null, conditions: 'c' } }),
    );
    expect(html).not.toMatch(/\sstyle=/);
    expect(html.match(/<style>/g)).toHaveLength(1);
    const css = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    expect(`'sha256-${createHash('sha256').update(css).digest('base64')}'`).toBe(replyPageStyleHash());
  });

  it('refuses unsafe or missing inputs', () => {
    expect(() => replyHtml(view('da', { formAction: 'javascript:alert(1)' }))).toThrow(PageInputError);
    expect(() => replyHtml(view('da', { formAction: ' ' }))).toThrow(PageInputError);
    expect(() => replyHtml(view('da', { pageUrl: 'data:text/html,x' }))).toThrow(PageInputError);
    expect(() => replyHtml(view('da', { csrfToken: '' }))).toThrow(PageInputError);
    expect(() => replyHtml(view('de' as Language))).toThrow(PageInputError);
  });
});

describe('renderReplyStatusPage', () => {
  const contact = { name: 'KOMBIT snitfladeteamet', email: 'snitflader@kombit.example' };
  const cases = REPLY_STATUS_KINDS.flatMap((k) => (['da', 'en'] as const).map((l) => [k, l] as const));

  it.each(cases)('%s (%s) has one h1, the language, the contact and no script', (kind, language) => {
    const html = statusHtml(kind, language, contact, order());
    expect(html).toContain(`<html lang="${language}">`);
    expect(html.match(/<h1[\s>]/g)).toHaveLength(1);
    expect(html).toContain('KOMBIT snitfladeteamet');
    expect(html).toContain('<a href="mailto:snitflader@kombit.example">snitflader@kombit.example</a>');
    expect(html).toContain('B-00042 – SF0800 Feriekonto online opslag (ATP)');
    expectNoScript(html);
    expect(statusHtml(kind, language, contact)).not.toContain('B-00042');
  });

  it.each(['da', 'en'] as const)('each kind says something different (%s)', (language) => {
    const titles = REPLY_STATUS_KINDS.map(
      (k) => /<h1>([^<]*)<\/h1>/.exec(statusHtml(k, language, contact))?.[1],
    );
    expect(new Set(titles).size).toBe(REPLY_STATUS_KINDS.length);
  });

  it.each([
    ['RETIRED', 'da', 'nyeste e-mail'],
    ['ON_HOLD', 'da', 'virker igen, når bestillingen genoptages'],
    ['CLOSED', 'en', 'moved on without an answer'],
    ['ANSWERED_BY_COLLEAGUE', 'en', 'their own link'],
    ['RETIRED', 'en', 'newest email'],
    ['EXPIRED', 'da', 'Perioden for at svare på bestillingen er slut'],
    ['EXPIRED', 'en', 'The period for answering the order has ended'],
    ['THANKS', 'da', 'Hvad sker der nu?'],
    ['THANKS', 'en', 'What happens next?'],
    ['ALREADY_ANSWERED', 'da', 'allerede svaret'],
    ['INVALID', 'en', 'not recognised'],
    ['RATE_LIMITED', 'da', 'for mange forsøg'],
    ['EMAIL_RECEIVED', 'en', 'We received your email about the order on 1 December 2026'],
    ['EMAIL_RECEIVED', 'da', 'Vi modtog jeres e-mail om bestillingen den 1. december 2026'],
  ] as [ReplyStatusKind, Language, string][])('%s (%s) says %j', (kind, language, text) => {
    expect(statusHtml(kind, language, contact)).toContain(text);
  });

  it('escapes the contact and links only a plain address', () => {
    const html = statusHtml('EXPIRED', 'en', {
      name: '<script>x</script>',
      email: 'a"b@example.com',
    });
    expectNoScript(html);
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt; at a&quot;b@example.com');
    expect(html).not.toContain('mailto:');
  });

  it('an email-received page needs the day the email arrived', () => {
    expect(() => statusHtml('EMAIL_RECEIVED', 'en', contact, undefined, {})).toThrow(PageInputError);
    expect(() =>
      statusHtml('EMAIL_RECEIVED', 'en', contact, undefined, { receivedOn: '1 December' }),
    ).toThrow(PageInputError);
  });

  it('rejects unknown kinds and languages', () => {
    expect(() => statusHtml('NOPE' as ReplyStatusKind, 'da', contact)).toThrow(PageInputError);
    expect(() => statusHtml('THANKS', 'sv' as Language, contact)).toThrow(PageInputError);
  });

  it('maps each kind to an HTTP status', () => {
    expect(REPLY_STATUS_HTTP).toEqual({
      THANKS: 200,
      ALREADY_ANSWERED: 409,
      ANSWERED_BY_COLLEAGUE: 409,
      EXPIRED: 410,
      RETIRED: 410,
      ON_HOLD: 409,
      CLOSED: 410,
      EMAIL_RECEIVED: 409,
      INVALID: 404,
      RATE_LIMITED: 429,
    });
  });
});

describe("the reply pages' headers", () => {
  it("carry a strict CSP whose style source is the pages' style hash", () => {
    const headers = replyPageHeaders();
    expect(headers['content-security-policy']).toBe(
      `default-src 'none'; style-src ${replyPageStyleHash()}; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
    );
    expect(renderReplyPage(view('da')).headers).toBe(headers);
    expect(headers['referrer-policy']).toBe('no-referrer');
  });
});
