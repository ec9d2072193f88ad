import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import { badInput } from '@snitflow/common';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { MAX_PAGE_SIZE } from './query-limits.js';

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `Page size, 1–${MAX_PAGE_SIZE} (default 20).` })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first?: number;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  after?: string;
}

/** Default and largest page of an order history (the `history` list and `historyConnection`). */
export const HISTORY_PAGE_SIZE = 100;

@ArgsType()
export class HistoryArgs {
  @Field(() => Int, {
    nullable: true,
    description: `How many events, 1–${MAX_PAGE_SIZE} (default ${HISTORY_PAGE_SIZE}).`,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first?: number;

  @Field(() => Int, {
    nullable: true,
    description: 'Only events after this version (the last version of the page you have); default 0.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  afterVersion?: number;
}

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

/** Opaque keyset cursors: base64url of the sort key, never an offset. */
export function encodeCursor(parts: readonly string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/** What each part of a cursor must be; a cursor is refused unless every part is. */
export type CursorPart = 'timestamp' | 'timestampOrEmpty' | 'uuid' | 'count';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Microseconds (what cursorInstant writes); milliseconds from cursors issued before it.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(\d{3})?Z$/;

/**
 * SQL for a timestamptz column as a cursor part with PostgreSQL's full precision
 * (microseconds, UTC), e.g. 2026-11-30T12:00:00.123456Z. A JavaScript Date keeps only
 * milliseconds: a cursor made from one skips rows that differ from it by microseconds.
 * Compare it back with `$n::timestamptz`. NULL stays NULL.
 */
export function cursorInstant(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

function isPart(kind: CursorPart, value: string): boolean {
  switch (kind) {
    case 'uuid':
      return UUID.test(value);
    case 'count':
      return /^\d{1,9}$/.test(value);
    case 'timestampOrEmpty':
      if (value === '') return true;
      return ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value));
    case 'timestamp':
      return ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value));
  }
}

/**
 * The parts of a cursor this API returned. A tampered one is BAD_USER_INPUT here, before
 * its parts reach SQL casts (where it would be an internal error).
 */
export function decodeCursor(cursor: string, kinds: readonly CursorPart[]): string[] {
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parts) &&
      parts.length === kinds.length &&
      parts.every((part, index) => typeof part === 'string' && isPart(kinds[index] as CursorPart, part))
    ) {
      return parts as string[];
    }
  } catch {
    // fall through to the error below
  }
  throw badInput('after is not a cursor this API returned', { field: 'after' });
}
