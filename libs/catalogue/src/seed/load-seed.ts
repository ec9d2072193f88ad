import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type InterfaceMatrix, parseInterfaceMatrixCsv } from '../interface-matrix.js';

/**
 * Where the shipped seed CSV (a byte-identical copy of the deck's interface list) sits: next to this
 * module. Resolved from `import.meta.url`, so it works from the sources (tests) and from `dist/` alike,
 * PROVIDED the build copies `libs/catalogue/src/seed/*.csv` to `dist/libs/catalogue/src/seed/` (swc
 * compiles only the TypeScript).
 */
export const SEED_INTERFACES_CSV_URL: URL = new URL('./interfaces.csv', import.meta.url);

/** The file-system path of {@link SEED_INTERFACES_CSV_URL}, for build scripts and messages. */
export function seedInterfacesCsvPath(): string {
  return fileURLToPath(SEED_INTERFACES_CSV_URL);
}

/** The shipped seed CSV's text, exactly as stored. */
export function readSeedInterfacesCsv(): string {
  try {
    return readFileSync(SEED_INTERFACES_CSV_URL, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') {
      // The usual cause: a build that compiled the TypeScript but did not copy the CSV beside it.
      throw new Error(
        `The seed interface list is missing at ${seedInterfacesCsvPath()}; ` +
          'the build must copy libs/catalogue/src/seed/*.csv next to the compiled seed module',
        { cause: error },
      );
    }
    throw error;
  }
}

/** The deck's interface list (18 interfaces, 4 project columns), parsed from the shipped seed. */
export function loadSeedInterfaceMatrix(): InterfaceMatrix {
  return parseInterfaceMatrixCsv(readSeedInterfacesCsv());
}
