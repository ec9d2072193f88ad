import { type CustomScalar, Scalar } from '@nestjs/graphql';
import { isIsoDate } from '@snitflow/common';
import { GraphQLError, Kind, type ValueNode } from 'graphql';

const invalid = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

const MIN_INPUT_YEAR = 1900;
const MAX_INPUT_YEAR = 2999;

/** A calendar date, YYYY-MM-DD, checked to be a real date (no 2026-02-30). */
@Scalar('Date', () => IsoDateScalar)
export class IsoDateScalar implements CustomScalar<string, string> {
  description = 'A calendar date written YYYY-MM-DD (ISO 8601).';

  parseValue(value: unknown): string {
    if (typeof value !== 'string' || !isIsoDate(value)) {
      throw invalid(`Expected a date written YYYY-MM-DD, got ${JSON.stringify(value)?.slice(0, 40)}`);
    }
    // Business dates of this programme. Far-away years are typos, and near year 9999 the
    // deadline arithmetic would run off the calendar instead of answering BAD_USER_INPUT.
    const year = Number(value.slice(0, 4));
    if (year < MIN_INPUT_YEAR || year > MAX_INPUT_YEAR) {
      throw invalid(`Expected a date between ${MIN_INPUT_YEAR} and ${MAX_INPUT_YEAR}, got ${value}`);
    }
    return value;
  }

  serialize(value: unknown): string {
    if (typeof value !== 'string' || !isIsoDate(value)) throw new Error(`not an ISO date: ${String(value)}`);
    return value;
  }

  parseLiteral(ast: ValueNode): string {
    if (ast.kind !== Kind.STRING) throw invalid('Expected a date written YYYY-MM-DD as a string');
    return this.parseValue(ast.value);
  }
}

const BIGINT_PATTERN = /^-?(0|[1-9]\d{0,30})$/;

/**
 * Integer amounts that can exceed 2^31 (money in øre): a decimal string on
 * the wire, so no client rounds it through a float.
 */
@Scalar('BigInt', () => BigIntScalar)
export class BigIntScalar implements CustomScalar<string, string> {
  description = 'An integer of any size, as a decimal string (money is integer øre).';

  parseValue(value: unknown): string {
    const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
    if (typeof text !== 'string' || !BIGINT_PATTERN.test(text)) {
      throw invalid(`Expected an integer as a decimal string, got ${JSON.stringify(value)?.slice(0, 40)}`);
    }
    return text;
  }

  serialize(value: unknown): string {
    return this.parseValue(typeof value === 'bigint' ? value.toString() : value);
  }

  parseLiteral(ast: ValueNode): string {
    if (ast.kind !== Kind.STRING && ast.kind !== Kind.INT)
      throw invalid('Expected an integer as a decimal string');
    return this.parseValue(ast.value);
  }
}
