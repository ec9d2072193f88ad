/**
 * Thrown for an invalid deadline policy (configuration or a hand-built policy object).
 * It carries every problem found, not just the first, so whoever fixes a configuration file
 * sees all mistakes in one go instead of one per restart.
 */
export class DeadlinePolicyError extends Error {
  override readonly name = 'DeadlinePolicyError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid deadline policies:\n${problems.map((problem) => `- ${problem}`).join('\n')}`);
    this.problems = Object.freeze([...problems]);
  }
}

/**
 * Thrown for a malformed argument that is not a policy (an invalid Date, a bad job id part),
 * so callers can tell programming errors from configuration errors without matching messages.
 */
export class DeadlineInputError extends Error {
  override readonly name = 'DeadlineInputError';
}
