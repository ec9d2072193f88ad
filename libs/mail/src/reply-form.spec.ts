import {
  type Language,
  MailInputError,
  parseReplyForm,
  REPLY_TEXT_MAX_LENGTH,
  type ReplyAnswer,
} from './index.js';

describe('parseReplyForm: accepted answers', () => {
  it.each<[string, Record<string, unknown>, ReplyAnswer]>([
    ['accept', { answer: 'accept' }, { kind: 'ACCEPT', note: null }],
    ['accept with note', { answer: 'accept', note: '  Tak  ' }, { kind: 'ACCEPT', note: 'Tak' }],
    [
      'accept ignores the other fields',
      { answer: 'accept', priceKroner: 'garbage', deliveryDate: 'x', question: 'q', reason: 'r' },
      { kind: 'ACCEPT', note: null },
    ],
    [
      'propose, Danish grouped price',
      { answer: 'propose', priceKroner: '125.000,50', deliveryDate: '2026-05-01', conditions: 'Drift' },
      { kind: 'PROPOSE', priceOere: '12500050', deliveryDate: '2026-05-01', conditions: 'Drift' },
    ],
    [
      'propose, plain price',
      { answer: 'propose', priceKroner: '125000,50' },
      { kind: 'PROPOSE', priceOere: '12500050', deliveryDate: null, conditions: null },
    ],
    [
      'propose, whole kroner',
      { answer: 'propose', priceKroner: '125000' },
      { kind: 'PROPOSE', priceOere: '12500000', deliveryDate: null, conditions: null },
    ],
    [
      'propose, only a date',
      { answer: 'propose', priceKroner: '', deliveryDate: '2028-02-29' },
      { kind: 'PROPOSE', priceOere: null, deliveryDate: '2028-02-29', conditions: null },
    ],
    [
      'propose, only conditions',
      { answer: 'propose', conditions: 'Kræver\r\nny aftale' },
      { kind: 'PROPOSE', priceOere: null, deliveryDate: null, conditions: 'Kræver\nny aftale' },
    ],
    [
      'propose, free of charge',
      { answer: 'propose', priceKroner: '0' },
      { kind: 'PROPOSE', priceOere: '0', deliveryDate: null, conditions: null },
    ],
    [
      'question',
      { answer: 'question', question: 'Hvilket format?' },
      { kind: 'ASK', question: 'Hvilket format?' },
    ],
    [
      'decline',
      { answer: 'decline', reason: 'Data findes ikke' },
      { kind: 'DECLINE', reason: 'Data findes ikke' },
    ],
    [
      'text of exactly the maximum length',
      { answer: 'decline', reason: 'x'.repeat(REPLY_TEXT_MAX_LENGTH) },
      { kind: 'DECLINE', reason: 'x'.repeat(REPLY_TEXT_MAX_LENGTH) },
    ],
    [
      'the maximum counted in characters, not UTF-16 units',
      { answer: 'question', question: '😀'.repeat(REPLY_TEXT_MAX_LENGTH) },
      { kind: 'ASK', question: '😀'.repeat(REPLY_TEXT_MAX_LENGTH) },
    ],
    [
      'control characters other than NUL removed',
      { answer: 'question', question: 'a\u0007b\u001bc' },
      { kind: 'ASK', question: 'abc' },
    ],
    [
      'a price of exactly the API bound (MAX_MONEY_OERE)',
      { answer: 'propose', priceKroner: '100.000.000.000,00' },
      { kind: 'PROPOSE', priceOere: '10000000000000', deliveryDate: null, conditions: null },
    ],
    [
      'a surrogate pair (one character) kept',
      { answer: 'decline', reason: ' Ikke muligt 😀 ' },
      { kind: 'DECLINE', reason: 'Ikke muligt 😀' },
    ],
  ])('%s', (_name, body, answer) => {
    expect(parseReplyForm(body, 'da')).toEqual({ ok: true, answer });
  });
});

describe('parseReplyForm: rejected answers', () => {
  it.each<[string, Record<string, unknown>, Language, string[]]>([
    [
      'no answer',
      {},
      'da',
      ['Vælg, hvilket svar I vil give: acceptér, foreslå vilkår, stil et spørgsmål eller afslå.'],
    ],
    [
      'unknown answer',
      { answer: 'ACCEPT' },
      'en',
      ['Choose your answer: accept, propose terms, ask a question or decline.'],
    ],
    [
      'prototype key as answer',
      { answer: 'toString' },
      'en',
      ['Choose your answer: accept, propose terms, ask a question or decline.'],
    ],
    [
      'propose with nothing',
      { answer: 'propose', priceKroner: ' ', deliveryDate: '', conditions: '\n' },
      'da',
      ['Angiv mindst én af pris, leveringsdato og betingelser i jeres forslag.'],
    ],
    [
      'propose with three decimals',
      { answer: 'propose', priceKroner: '125,000' },
      'en',
      ['The price can have at most two decimals (øre), e.g. 125000.50. Write thousands without separators.'],
    ],
    ['negative price', { answer: 'propose', priceKroner: '-100' }, 'da', ['Prisen kan ikke være negativ.']],
    [
      'garbage price',
      { answer: 'propose', priceKroner: 'hundrede' },
      'da',
      ['Prisen skal være et beløb i kroner, f.eks. 125000,00 eller 125.000,00.'],
    ],
    [
      'huge price',
      { answer: 'propose', priceKroner: '1'.repeat(17) },
      'en',
      ['The price can be at most DKK 100,000,000,000.00.'],
    ],
    [
      'a price one øre over the API bound',
      { answer: 'propose', priceKroner: '100.000.000.000,01' },
      'da',
      ['Prisen kan højst være 100.000.000.000,00 kr.'],
    ],
    [
      'a NUL in the text, refused as the API refuses it',
      { answer: 'question', question: 'a\u0000b' },
      'da',
      [
        'Spørgsmålet: et tegn kan ikke gemmes (et NUL-tegn eller et ufuldstændigt tegn). Fjern det, og prøv igen.',
      ],
    ],
    [
      'a lone surrogate in the text',
      { answer: 'propose', conditions: 'Drift \ud83d' },
      'en',
      [
        'The conditions: a character cannot be stored (a NUL character or a broken character). Remove it and try again.',
      ],
    ],
    [
      'a NUL in a field that is not free text: the form is malformed',
      { answer: 'accept\u0000' },
      'en',
      ['The form could not be read. Reload the page and try again.'],
    ],
    [
      'impossible date',
      { answer: 'propose', deliveryDate: '2026-02-30' },
      'da',
      ['Leveringsdatoen skal være en gyldig dato på formen ÅÅÅÅ-MM-DD, f.eks. 2026-06-30.'],
    ],
    [
      'Danish-written date',
      { answer: 'propose', deliveryDate: '30-06-2026' },
      'en',
      ['The delivery date must be a valid date in the form YYYY-MM-DD, e.g. 2026-06-30.'],
    ],
    [
      'several problems at once',
      { answer: 'propose', priceKroner: '1,234', deliveryDate: 'soon', conditions: 'x'.repeat(4001) },
      'en',
      [
        'The price can have at most two decimals (øre), e.g. 125000.50. Write thousands without separators.',
        'The delivery date must be a valid date in the form YYYY-MM-DD, e.g. 2026-06-30.',
        'The conditions can be at most 4,000 characters long (it is 4,001).',
      ],
    ],
    ['question without text', { answer: 'question', question: '   ' }, 'da', ['Skriv jeres spørgsmål.']],
    ['decline without reason', { answer: 'decline' }, 'en', ['Write why you decline the order.']],
    [
      'text over the maximum',
      { answer: 'decline', reason: 'x'.repeat(REPLY_TEXT_MAX_LENGTH + 1) },
      'da',
      ['Begrundelsen må højst være på 4.000 tegn (der er 4.001).'],
    ],
    [
      'note over the maximum',
      { answer: 'accept', note: 'æ'.repeat(5000) },
      'en',
      ['The comment can be at most 4,000 characters long (it is 5,000).'],
    ],
    [
      'a repeated field',
      { answer: 'question', question: ['a', 'b'] },
      'da',
      ['Formularen kunne ikke læses. Indlæs siden igen, og prøv en gang til.', 'Skriv jeres spørgsmål.'],
    ],
    [
      'a repeated answer',
      { answer: ['accept', 'decline'] },
      'en',
      [
        'The form could not be read. Reload the page and try again.',
        'Choose your answer: accept, propose terms, ask a question or decline.',
      ],
    ],
  ])('%s', (_name, body, language, errors) => {
    expect(parseReplyForm(body, language)).toEqual({ ok: false, errors });
  });

  it('rejects a delivery date before today when today is given', () => {
    const body = { answer: 'propose', deliveryDate: '2026-03-12' };
    expect(parseReplyForm(body, 'da', { today: '2026-03-13' })).toEqual({
      ok: false,
      errors: ['Leveringsdatoen kan ikke ligge før i dag.'],
    });
    expect(parseReplyForm(body, 'da', { today: '2026-03-12' }).ok).toBe(true);
    expect(parseReplyForm(body, 'da').ok).toBe(true);
  });

  it('copes with a body that is not an object and with a null-prototype body', () => {
    expect(parseReplyForm(undefined as unknown as Record<string, unknown>, 'en').ok).toBe(false);
    const body = Object.assign(Object.create(null) as Record<string, unknown>, { answer: 'accept' });
    expect(parseReplyForm(body, 'en')).toEqual({ ok: true, answer: { kind: 'ACCEPT', note: null } });
  });

  it('throws for an unknown language or a malformed today', () => {
    expect(() => parseReplyForm({}, 'de' as Language)).toThrow(MailInputError);
    expect(() => parseReplyForm({}, 'da', { today: '13-03-2026' })).toThrow(MailInputError);
  });
});
