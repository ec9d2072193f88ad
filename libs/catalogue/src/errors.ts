/** Input that does not fit the catalogue's rules; the message says what and where. */
export class CatalogueInputError extends Error {
  constructor(
    message: string,
    readonly field: string | null = null,
    readonly problems: readonly string[] = [message],
  ) {
    super(message);
    this.name = 'CatalogueInputError';
  }
}
