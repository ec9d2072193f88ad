import { dataElementCodeMessage, isDataElementCode } from './data-element-code.js';
import { CatalogueInputError, type CatalogueProblem } from './errors.js';

/** One project's request of an interface, as far as consolidation needs it. */
export interface RequestForConsolidation {
  id: string;
  projectId: string;
  dataElements: string[];
  /** YYYY-MM-DD */
  needBy: string;
  firmness: 'FIRM' | 'TENTATIVE';
}

/** One web service, bought once: what every consolidated request together needs. */
export interface ConsolidatedSpecification {
  /** Union of the requested data element codes, sorted, each once. */
  dataElements: string[];
  /** The earliest need-by date (YYYY-MM-DD) of the requests. */
  needBy: string;
  /** Every requesting project, sorted, each once. */
  projectIds: string[];
  /** Every consolidated request, sorted. */
  requestIds: string[];
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const FIRMNESS: ReadonlySet<string> = new Set(['FIRM', 'TENTATIVE']);

/**
 * Merges the requests for one interface into one specification: the union of the data elements,
 * the earliest need-by date, every requesting project and every request id.
 *
 * The caller chooses which requests to pass (normally the approved ones). Tentative requests count like
 * firm ones: a project that may need the interface belongs in the one web service that is bought, rather
 * than causing a second purchase later.
 *
 * Throws a {@link CatalogueInputError} for an empty list, and one listing every problem for malformed
 * requests (blank ids, no or malformed data element codes, an impossible date, duplicate request ids).
 */
export function consolidateRequests(
  requests: readonly Readonly<RequestForConsolidation>[],
): ConsolidatedSpecification {
  const first = requests[0];
  if (first === undefined) {
    throw new CatalogueInputError(
      'requests',
      'Cannot consolidate an empty list of requests: an interface order needs at least one request',
    );
  }
  const problems = requests.flatMap((request, index) => requestProblems(request, index));
  const firstIndexById = new Map<string, number>();
  requests.forEach((request, index) => {
    const first = firstIndexById.get(request.id);
    if (first === undefined) firstIndexById.set(request.id, index);
    else {
      problems.push({
        field: `requests[${index}].id`,
        message: `requests[${index}]: request id ${JSON.stringify(request.id)} is also requests[${first}]`,
      });
    }
  });
  if (problems.length > 0) throw CatalogueInputError.fromProblems('Requests for consolidation', problems);

  // Valid YYYY-MM-DD strings sort like the dates they name, so the smallest string is the earliest date.
  let needBy = first.needBy;
  for (const request of requests) if (request.needBy < needBy) needBy = request.needBy;
  return {
    dataElements: sortedUnique(requests.flatMap((request) => request.dataElements)),
    needBy,
    projectIds: sortedUnique(requests.map((request) => request.projectId)),
    requestIds: sortedUnique(requests.map((request) => request.id)),
  };
}

/**
 * The requested data elements the interface does not offer, in the order requested, each once. The
 * deck's example: Barselsdagpenge asked CPR for personal data that CPR does not hold.
 *
 * Codes are compared exactly, with no trimming or case folding: they are validated where they enter.
 */
export function unofferedDataElements(requested: readonly string[], offered: readonly string[]): string[] {
  const available = new Set(offered);
  return [...new Set(requested)].filter((code) => !available.has(code));
}

/** True for a real calendar date written YYYY-MM-DD, so 2025-02-30 is refused. */
export function isIsoDate(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const match = ISO_DATE.exec(s);
  if (match === null) return false;
  const [year, month, day] = match.slice(1).map(Number);
  if (year === undefined || month === undefined || day === undefined) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function requestProblems(request: Readonly<RequestForConsolidation>, index: number): CatalogueProblem[] {
  const problems: CatalogueProblem[] = [];
  const at = (field: string, message: string): void => {
    problems.push({ field: `requests[${index}].${field}`, message: `requests[${index}]: ${message}` });
  };
  // The types already say most of this; it is checked anyway because requests come from databases and APIs.
  if (typeof request.id !== 'string' || request.id.trim() === '') at('id', 'id is empty');
  if (typeof request.projectId !== 'string' || request.projectId.trim() === '') {
    at('projectId', 'projectId is empty');
  }
  if (!Array.isArray(request.dataElements) || request.dataElements.length === 0) {
    at('dataElements', 'no data elements requested');
  } else {
    for (const code of request.dataElements) {
      if (!isDataElementCode(code)) at('dataElements', dataElementCodeMessage(String(code)));
    }
  }
  if (!isIsoDate(request.needBy)) {
    at('needBy', `needBy must be a date written YYYY-MM-DD; got ${JSON.stringify(request.needBy)}`);
  }
  if (!FIRMNESS.has(request.firmness)) {
    at('firmness', `firmness must be FIRM or TENTATIVE; got ${JSON.stringify(request.firmness)}`);
  }
  return problems;
}

/**
 * Sorted by UTF-16 code units (the default sort), not by locale: the result must be the same on every
 * machine, because it is stored and compared, not shown.
 */
function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}
