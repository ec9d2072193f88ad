import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emailTemplateFile, loadEmailEngine } from './email-engine.js';
import { MailInputError } from './errors.js';
import { renderEmail } from './render.js';
import { EMAIL_TEMPLATES, type EmailData, LANGUAGES } from './types.js';

const SHIPPED = fileURLToPath(new URL('../templates/email/', import.meta.url));

const data = (): EmailData => ({
  order: {
    reference: 'B-00042',
    interfaceKey: 'SF0800',
    interfaceTitle: 'Feriekonto online opslag',
    dataElements: [{ code: 'DE-CPR', name: 'CPR-nummer' }],
    needBy: '2026-06-01',
    projects: ['Ydelsesprojektet'],
    replyBy: '2026-03-13',
    supplierName: 'ATP',
  },
  recipientName: 'Hanne Hansen',
  replyUrl: 'https://snitflow.example/reply/abc',
  answer: 'Første linje\n\nTredje linje',
  question: 'Skal datoen være ISO?',
});

/** A scratch copy of the shipped templates that a test may break. */
function scratchCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'snitflow-templates-'));
  cpSync(SHIPPED, dir, { recursive: true });
  return dir;
}

function edit(dir: string, file: string, change: (source: string) => string): void {
  const path = join(dir, `${file}.liquid`);
  writeFileSync(path, change(readFileSync(path, 'utf8')));
}

describe('the shipped email templates', () => {
  it('hold every email in every language, and the same label keys in each language', () => {
    const engine = loadEmailEngine();
    for (const language of LANGUAGES) {
      for (const template of EMAIL_TEMPLATES) {
        expect(
          readFileSync(join(SHIPPED, `${emailTemplateFile(template, language)}.liquid`), 'utf8'),
        ).toMatch(/\{%-? layout layout -?%\}/);
      }
    }
    expect(Object.keys(engine.labels.en).sort()).toEqual(Object.keys(engine.labels.da).sort());
    expect(Object.keys(engine.labels.en.replyKind).sort()).toEqual(['ACCEPT', 'ASK', 'DECLINE', 'PROPOSE']);
  });

  it('keep a blank line inside quoted free text in both parts', () => {
    const email = renderEmail('SUPPLIER_ANSWER', 'da', data());
    expect(email.text).toContain('Svar:\n> Første linje\n>\n> Tredje linje\n');
    expect(email.html).toContain('Første linje<br>\n<br>\nTredje linje</blockquote>');
  });
});

describe('editing a template', () => {
  let dir: string;
  beforeEach(() => {
    dir = scratchCopy();
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('changes the wording of both parts and the subject, with the values still escaped in HTML', () => {
    edit(dir, 'da/supplier-order', (source) =>
      source
        .replace(
          'Bestilling af snitflade: {{ order.interfaceTitle }}',
          'Ny bestilling: {{ order.interfaceTitle }}',
        )
        .replace('Det kræver ikke login.', 'Det kræver ikke login, {{ recipientName }}.'),
    );
    const engine = loadEmailEngine(dir);
    const input = { ...data(), recipientName: 'Hanne <Hansen>' };
    const email = renderEmail('SUPPLIER_ORDER', 'da', input, engine);
    expect(email.subject).toBe('[SF0800 · B-00042] Ny bestilling: Feriekonto online opslag');
    expect(email.text).toContain('Det kræver ikke login, Hanne <Hansen>.');
    expect(email.html).toContain('Det kræver ikke login, Hanne &lt;Hansen&gt;.');
    // The shipped templates are untouched by a scratch engine.
    expect(renderEmail('SUPPLIER_ORDER', 'da', input).subject).toContain('Bestilling af snitflade:');
  });

  it('fails at load, naming the file, when an email is missing in a language', () => {
    unlinkSync(join(dir, 'en/supplier-reminder.liquid'));
    expect(() => loadEmailEngine(dir)).toThrow(MailInputError);
    expect(() => loadEmailEngine(dir)).toThrow(/en\/supplier-reminder\.liquid is missing/);
  });

  it('fails at load, naming the file, on a syntax error or a misused block tag', () => {
    edit(dir, 'da/supplier-answer', (source) => source.replace('{% quote question %}', '{% quote %}'));
    expect(() => loadEmailEngine(dir)).toThrow(/da\/supplier-answer\.liquid: .*needs the value to show/);
    edit(dir, 'da/supplier-answer', (source) => source.replace('{% endparagraph %}', ''));
    expect(() => loadEmailEngine(dir)).toThrow(/da\/supplier-answer\.liquid/);
  });

  it('fails at load when a language lacks a label', () => {
    const path = join(dir, 'en/labels.json');
    const labels = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    delete labels.linkFallback;
    writeFileSync(path, JSON.stringify(labels));
    expect(() => loadEmailEngine(dir)).toThrow(/lack linkFallback/);
  });

  it('refuses to render a misspelt variable instead of sending an email with a hole in it', () => {
    edit(dir, 'en/supplier-order', (source) =>
      source.replace('{{ order.supplierName }}', '{{ order.suplierName }}'),
    );
    const engine = loadEmailEngine(dir);
    expect(() => renderEmail('SUPPLIER_ORDER', 'en', data(), engine)).toThrow(/suplierName/);
    // The Danish template is fine and still renders.
    expect(renderEmail('SUPPLIER_ORDER', 'da', data(), engine).text).toContain('hos ATP.');
  });
});
