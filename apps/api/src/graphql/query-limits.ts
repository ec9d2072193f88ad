import {
  type FieldNode,
  type GraphQLCompositeType,
  GraphQLError,
  type GraphQLOutputType,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';

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

/** The largest cost a document may have: about 50,000 objects and values in the answer. */
export const MAX_QUERY_COST = 50_000;
/** Assumed length of a list field without `first` (catalogue lists: 18 interfaces, a few projects). */
const UNPAGED_LIST_SIZE = 20;
/** Page sizes when `first` is not given (see the resolvers' defaults). */
const DEFAULT_PAGE_SIZES: Readonly<Record<string, number>> = { history: 100, historyConnection: 100 };
const DEFAULT_PAGE_SIZE = 20;

/**
 * Refuses documents whose answer could be larger than MAX_QUERY_COST: every field costs 1, times
 * the sizes of the lists around it — a field's `first` (a literal, or MAX_PAGE_SIZE for a
 * variable, as resolvers refuse more) or its default page, and UNPAGED_LIST_SIZE for other
 * lists. So `a1…a15: orders(first: 100) { edges { node { history { type } } } }` (15 × 100 ×
 * 100 events) is refused before it runs, while one page of orders with their histories is not.
 * graphql-armor's cost limit was tried first: it multiplies only by literal `first` values, so
 * a `history` without arguments, or a page size in a variable, counted as one object.
 */
export const queryCostRule =
  (maxCost: number): ValidationRule =>
  (context) => ({
    OperationDefinition(operation) {
      const schema = context.getSchema();
      const root =
        operation.operation === 'mutation'
          ? schema.getMutationType()
          : operation.operation === 'subscription'
            ? schema.getSubscriptionType()
            : schema.getQueryType();
      if (!root) return;
      const seen = new Set<string>();
      const costOf = (selections: SelectionSetNode, parent: GraphQLCompositeType): number => {
        let total = 0;
        for (const selection of selections.selections) {
          if (selection.kind === Kind.FIELD) {
            if (selection.name.value.startsWith('__')) continue;
            const field =
              isObjectType(parent) || isInterfaceType(parent)
                ? parent.getFields()[selection.name.value]
                : undefined;
            if (!field) continue;
            const size = pageSize(selection, field.type);
            const inner = getNamedType(field.type);
            const children =
              selection.selectionSet && isCompositeType(inner) ? costOf(selection.selectionSet, inner) : 0;
            total += size * (1 + children);
          } else if (selection.kind === Kind.INLINE_FRAGMENT) {
            const condition = selection.typeCondition
              ? schema.getType(selection.typeCondition.name.value)
              : parent;
            if (condition && isCompositeType(condition)) total += costOf(selection.selectionSet, condition);
          } else {
            const fragment = context.getFragment(selection.name.value);
            // A fragment spread inside itself is refused by the standard rules; count it once here.
            if (!fragment || seen.has(fragment.name.value)) continue;
            seen.add(fragment.name.value);
            const condition = schema.getType(fragment.typeCondition.name.value);
            if (condition && isCompositeType(condition)) total += costOf(fragment.selectionSet, condition);
            seen.delete(fragment.name.value);
          }
        }
        return total;
      };
      const cost = costOf(operation.selectionSet, root);
      if (cost > maxCost) {
        context.reportError(
          new GraphQLError(
            `The query could return about ${cost} objects, more than ${maxCost}: ask for smaller pages or fewer fields`,
            { nodes: [operation], extensions: { code: 'QUERY_TOO_COMPLEX', cost, maxCost } },
          ),
        );
      }
    },
  });

/** How many times a field's selection can occur in the answer. */
function pageSize(field: FieldNode, type: GraphQLOutputType): number {
  const name = field.name.value;
  const first = field.arguments?.find((argument) => argument.name.value === 'first');
  if (first?.value.kind === Kind.INT) return Math.max(1, Number(first.value.value));
  if (first?.value.kind === Kind.VARIABLE) return MAX_PAGE_SIZE;
  if (name in DEFAULT_PAGE_SIZES) return DEFAULT_PAGE_SIZES[name] ?? DEFAULT_PAGE_SIZE;
  if (PAGED_FIELDS.has(name)) return DEFAULT_PAGE_SIZE;
  // A connection's edges are its page, already counted on the connection field.
  if (name === 'edges') return 1;
  return isListType(getNullableType(type)) ? UNPAGED_LIST_SIZE : 1;
}

/** Connection fields whose pages are sized by `first` (default DEFAULT_PAGE_SIZE). */
const PAGED_FIELDS: ReadonlySet<string> = new Set(['orders', 'overdueQueue', 'failedEmails']);
