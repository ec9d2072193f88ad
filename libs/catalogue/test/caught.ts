import { CatalogueInputError } from '@snitflow/catalogue';

/** Runs `run` and returns the CatalogueInputError it throws, so a test can look at its fields. */
export function caught(run: () => unknown): CatalogueInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof CatalogueInputError) return error;
    throw error;
  }
  throw new Error('expected a CatalogueInputError, but nothing was thrown');
}
