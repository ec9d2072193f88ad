/** A page asked for with data it cannot be rendered from, or a broken template set (a bug, never user input). */
export class PageInputError extends Error {
  override readonly name = 'PageInputError';
}
