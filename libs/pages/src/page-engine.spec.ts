import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPageEngine, PageInputError, pageHeaders, renderPage, styleHash } from './index.js';

const TEMPLATES = fileURLToPath(new URL('../templates/', import.meta.url));

/** A copy of the real template folder plus a `demo` page, to test the engine's rules. */
function fixture(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pages-'));
  cpSync(TEMPLATES, dir, { recursive: true });
  const defaults: Record<string, string> = {
    'demo/labels.da.json': '{"heading":"Opgørelse for {name}","total":"I alt"}',
    'demo/labels.en.json': '{"heading":"Statement for {name}","total":"Total"}',
    'demo/page.liquid': `{%- layout 'layout' -%}
{%- block title -%}{{ labels.heading | fill: name: municipality }}{%- endblock -%}
{%- block main -%}<h1>{{ labels.heading | fill: name: municipality }}</h1>
<p class="num">{{ amount | format_oere }}</p><p>{{ note | lines }}</p>{%- endblock -%}`,
  };
  for (const [name, text] of Object.entries({ ...defaults, ...files })) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  return dir;
}

function withFixture<T>(files: Record<string, string>, run: (dir: string) => T): T {
  const dir = fixture(files);
  try {
    return run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('renderPage', () => {
  it('renders a page in the shared layout, escaped, with its own CSP', () => {
    withFixture({}, (dir) => {
      const engine = loadPageEngine(dir);
      const data = { municipality: '<b>Aarhus</b>', amount: '12345678', note: 'a & b\nc' };
      const da = renderPage('demo', 'da', data, engine);
      expect(da.html).toContain('<html lang="da">');
      expect(da.html).toContain('<title>Opgørelse for &lt;b&gt;Aarhus&lt;/b&gt;</title>');
      expect(da.html).toContain('123.456,78 kr.');
      expect(da.html).toContain('a &amp; b<br>\nc');
      const css = /<style>([\s\S]*?)<\/style>/.exec(da.html)?.[1] ?? '';
      expect(da.headers['content-security-policy']).toContain(`style-src ${styleHash(css)};`);
      expect(renderPage('demo', 'en', data, engine).html).toContain('DKK 123,456.78');
    });
  });

  it("appends a page's own page.css to the shared stylesheet, and hashes that", () => {
    withFixture({ 'demo/page.css': '.bar{fill:#0b4f9c}\n' }, (dir) => {
      const engine = loadPageEngine(dir);
      const { html, headers } = renderPage(
        'demo',
        'da',
        { municipality: 'x', amount: '1', note: '' },
        engine,
      );
      const css = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
      expect(css.endsWith('.bar{fill:#0b4f9c}\n')).toBe(true);
      expect(headers['content-security-policy']).toContain(styleHash(css));
      expect(pageHeaders('reply', engine)['content-security-policy']).not.toContain(styleHash(css));
    });
  });

  it('refuses the raw filter, so data cannot reach the page unescaped', () => {
    withFixture(
      {
        'demo/page.liquid':
          "{%- layout 'layout' -%}{%- block main -%}{{ municipality | raw }}{%- endblock -%}",
      },
      (dir) => {
        const engine = loadPageEngine(dir);
        expect(() => renderPage('demo', 'da', { municipality: '<script>' }, engine)).toThrow(
          /raw filter is disabled/,
        );
      },
    );
  });

  it('refuses a misspelt variable, a missing placeholder value, unknown pages and reserved keys', () => {
    withFixture({}, (dir) => {
      const engine = loadPageEngine(dir);
      expect(() => renderPage('demo', 'da', { municipality: 'x', note: '' }, engine)).toThrow(PageInputError);
      expect(() => renderPage('demo', 'da', { amount: '1', note: '' }, engine)).toThrow(PageInputError);
      expect(() => renderPage('nope', 'da', {}, engine)).toThrow(PageInputError);
      expect(() => renderPage('reply/_field', 'da', {}, engine)).toThrow(PageInputError);
      expect(() => renderPage('demo', 'da', { labels: {} }, engine)).toThrow(/may not set labels/);
    });
  });

  it('refuses at load: a label missing in one language, a label defined twice, a broken template', () => {
    withFixture({ 'demo/labels.en.json': '{"heading":"Statement for {name}"}' }, (dir) => {
      expect(() => loadPageEngine(dir)).toThrow(/en differs from da \(missing: total/);
    });
    withFixture(
      {
        'demo/labels.da.json': '{"heading":"x","total":"y","reference":"z"}',
        'demo/labels.en.json': '{"heading":"x","total":"y","reference":"z"}',
      },
      (dir) => {
        expect(() => loadPageEngine(dir)).toThrow(/label reference is defined twice/);
      },
    );
    withFixture({ 'demo/page.liquid': '{% if x %}never closed' }, (dir) => {
      expect(() => loadPageEngine(dir)).toThrow(/demo\/page\.liquid/);
    });
  });
});

describe('the page templates', () => {
  // The pages' CSP allows only the one hashed <style> block: no scripts, no handlers, no inline
  // styles. Checked on the template files themselves, so a new page cannot slip one in.
  const files = (function* walk(dir: string): Generator<string> {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) yield* walk(path);
      else if (entry.name.endsWith('.liquid')) yield path;
    }
  })(TEMPLATES);

  it.each([...files].map((f) => [f.slice(TEMPLATES.length)]))('%s is CSP-safe', (name) => {
    const text = readFileSync(join(TEMPLATES, name), 'utf8');
    expect(text).not.toMatch(/<script/i);
    expect(text).not.toMatch(/\son[a-z]+\s*=/i);
    expect(text).not.toMatch(/\sstyle\s*=/i);
    expect(text).not.toMatch(/javascript:/i);
    expect(text).not.toMatch(/\|\s*raw\b/);
  });
});
