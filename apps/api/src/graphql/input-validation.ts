import { type ValidationError, ValidationPipe } from '@nestjs/common';
import { badInput } from '@snitflow/common';

function describe(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => `${path}: ${message}`);
    return [...own, ...describe(error.children ?? [], path)];
  });
}

/** class-validator on every input type; failures become BAD_USER_INPUT listing each field. */
export const inputValidationPipe = new ValidationPipe({
  transform: true,
  whitelist: true,
  forbidUnknownValues: true,
  stopAtFirstError: false,
  exceptionFactory: (errors) => {
    const problems = describe(errors);
    return badInput(problems.join('; '), {
      fields: [...new Set(problems.map((problem) => problem.split(':')[0] ?? ''))],
    });
  },
});
