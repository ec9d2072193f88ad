import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ERROR_CODES, ErrorCode } from '@snitflow/common';

const readme = readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '../../../README.md'), 'utf8');

describe("the README's errors table", () => {
  it('lists every error code with the HTTP status and retryability the API uses, and no other', () => {
    const section = readme.slice(
      readme.indexOf('## Errors and limits'),
      readme.indexOf('\n## ', readme.indexOf('## Errors and limits') + 3),
    );
    const rows = [...section.matchAll(/^\| `([A-Z_]+)` \| ([^|]+) \| ([^|]+) \|/gm)].map((match) => ({
      code: match[1] as string,
      status: match[2] as string,
      retryable: match[3] as string,
    }));
    expect(rows.map((row) => row.code).sort()).toEqual(Object.values(ErrorCode).sort());
    for (const row of rows) {
      const expected = ERROR_CODES[row.code as ErrorCode];
      expect([row.code, row.status.trim().startsWith(String(expected.httpStatus))]).toEqual([row.code, true]);
      expect([row.code, /\byes\b/.test(row.retryable)]).toEqual([row.code, expected.retryable]);
    }
  });
});
