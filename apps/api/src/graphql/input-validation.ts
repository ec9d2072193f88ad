import {
  type ArgumentMetadata,
  Injectable,
  type PipeTransform,
  type ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import { badInput, cleanInput, isMoneyOere, MAX_MONEY_OERE } from '@snitflow/common';
import { ValidateBy, type ValidationOptions } from 'class-validator';

function describe(errors: ValidationError[], prefix: string): string[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => `${path}: ${message}`);
    return [...own, ...describe(error.children ?? [], path)];
  });
}

/**
 * GraphQL arguments reach pipes as 'body' (@nestjs/graphql maps @Args so), typed by their input
 * class or scalar. The reply page's form is a 'body' too, but untyped (Object): it explains its
 * own errors as a page and is left to its parser, as are @Parent/@Context/@CurrentUser values.
 */
function isGraphqlArgument(metadata: ArgumentMetadata): boolean {
  return metadata.type === 'body' && metadata.metatype !== undefined && metadata.metatype !== Object;
}

/**
 * Arguments whose text is taken exactly as sent (still refused with a NUL or a lone surrogate):
 * a CSV file, whose bytes round-trip.
 */
const UNTRIMMED_ARGUMENTS: ReadonlySet<string> = new Set(['csv']);

/**
 * Every GraphQL argument of every resolver passes here (the global pipe), so no service sees
 * unclean text:
 * 1. every string anywhere in the argument is refused if it holds a NUL (PostgreSQL refuses it)
 *    or a lone surrogate (it would be stored as U+FFFD), and trimmed — so a required text of
 *    only spaces fails its @MinLength(1) like an empty one;
 * 2. class-validator checks the input class; failures become one BAD_USER_INPUT listing each
 *    problem, with `fields` as argument paths (`input.terms.priceOere`; an @ArgsType's own
 *    fields by name, `orderId`).
 * New input classes get both by declaring their rules; nothing to call.
 */
@Injectable()
export class InputPipe implements PipeTransform {
  private readonly validation = new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidUnknownValues: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => new InvalidArgument(errors),
  });

  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (!isGraphqlArgument(metadata)) return this.validation.transform(value, metadata);
    const name = metadata.data ?? '';
    const clean = cleanInput(value, name, { trim: !UNTRIMMED_ARGUMENTS.has(name) });
    try {
      return await this.validation.transform(clean, metadata);
    } catch (error) {
      if (!(error instanceof InvalidArgument)) throw error;
      const problems = describe(error.errors, name);
      throw badInput(problems.join('; '), {
        fields: [...new Set(problems.map((problem) => problem.split(':')[0] ?? ''))],
      });
    }
  }
}

/** class-validator's findings for one argument, turned into BAD_USER_INPUT by InputPipe (which knows the argument's name). */
class InvalidArgument extends Error {
  constructor(readonly errors: ValidationError[]) {
    super('invalid argument');
  }
}

/**
 * Money in whole øre (a decimal string), 0 to MAX_MONEY_OERE (100 billion kroner). Use on every
 * money input: a price of 10^23 øre is a typo, not a price.
 */
export function IsMoneyOere(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isMoneyOere',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isMoneyOere(value),
        defaultMessage: (arguments_) =>
          `${arguments_?.property ?? 'amount'} must be whole øre from 0 to ${MAX_MONEY_OERE} (100 billion kroner)`,
      },
    },
    options,
  );
}
