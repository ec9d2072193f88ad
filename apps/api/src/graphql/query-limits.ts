import { GraphQLError, type ValidationRule } from 'graphql';

export const MAX_QUERY_DEPTH = 6;
export const MAX_ALIASES = 15;
export const MAX_PAGE_SIZE = 100;

/** Refuses documents with more aliases than a real screen needs (alias-based amplification). */
export const aliasLimitRule =
  (maxAliases: number): ValidationRule =>
  (context) => {
    let aliases = 0;
    return {
      Field(node) {
        if (node.alias) {
          aliases += 1;
          if (aliases === maxAliases + 1) {
            context.reportError(
              new GraphQLError(`The query uses more than ${maxAliases} aliases`, {
                nodes: [node],
                extensions: { code: 'BAD_USER_INPUT' },
              }),
            );
          }
        }
      },
    };
  };

/**
 * Refuses a literal page size over the maximum before anything runs; page
 * sizes passed in variables are checked by the resolvers' argument validation.
 */
export const pageSizeLimitRule =
  (maxPageSize: number): ValidationRule =>
  (context) => ({
    Argument(node) {
      if (
        node.name.value === 'first' &&
        node.value.kind === 'IntValue' &&
        Number(node.value.value) > maxPageSize
      ) {
        context.reportError(
          new GraphQLError(`first must be at most ${maxPageSize}`, {
            nodes: [node],
            extensions: { code: 'BAD_USER_INPUT' },
          }),
        );
      }
    },
  });
