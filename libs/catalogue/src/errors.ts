/** One thing wrong with catalogue input. */
export interface CatalogueProblem {
  /** What the problem is about: a CSV column name, `header`, `row`, `csv`, or a property path. */
  readonly field: string;
  readonly message: string;
  /** 1-based line in the CSV text, when the input was CSV text. */
  readonly line?: number;
}

/**
 * Thrown for input the catalogue rejects. It carries every problem found, not only the first,
 * because the people fixing a spreadsheet or a request want the whole list in one go.
 */
export class CatalogueInputError extends Error {
  /** The field of the first problem, or the one field the error is about. */
  readonly field: string;
  readonly problems: readonly CatalogueProblem[];

  constructor(field: string, message: string, problems?: readonly CatalogueProblem[]) {
    super(message);
    this.name = 'CatalogueInputError';
    this.field = field;
    this.problems = problems && problems.length > 0 ? problems : [{ field, message }];
  }

  /** One error whose message lists every problem, each with its line when known. */
  static fromProblems(subject: string, problems: readonly CatalogueProblem[]): CatalogueInputError {
    const first = problems[0];
    if (first === undefined) {
      throw new Error('CatalogueInputError.fromProblems needs at least one problem');
    }
    const noun = problems.length === 1 ? 'problem' : 'problems';
    const lines = problems.map((p) => `  ${p.line === undefined ? '' : `line ${p.line}: `}${p.message}`);
    return new CatalogueInputError(
      first.field,
      `${subject} has ${problems.length} ${noun}:\n${lines.join('\n')}`,
      problems,
    );
  }
}
