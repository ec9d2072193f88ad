import { CatalogueInputError } from './errors.js';

export interface RequestForConsolidation {
  id: string;
  projectId: string;
  dataElements: string[];
  /** YYYY-MM-DD */
  needBy: string;
  firmness: 'FIRM' | 'TENTATIVE';
}

/** One web service, bought once: what every approved request together needs. */
export interface ConsolidatedSpecification {
  dataElements: string[];
  needBy: string;
  projectIds: string[];
  requestIds: string[];
}

const sortedUnique = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/** Union of the data elements, the earliest need-by date, every requesting project. */
export function consolidateRequests(requests: readonly RequestForConsolidation[]): ConsolidatedSpecification {
  const first = requests[0];
  if (!first) throw new CatalogueInputError('Nothing to consolidate: no approved request');
  return {
    dataElements: sortedUnique(requests.flatMap((request) => request.dataElements)),
    // ISO dates sort as strings: the first is the earliest.
    needBy: requests.map((request) => request.needBy).sort()[0] ?? first.needBy,
    projectIds: sortedUnique(requests.map((request) => request.projectId)),
    requestIds: sortedUnique(requests.map((request) => request.id)),
  };
}

/** Requested elements the interface does not offer (the deck's example: personal data CPR does not hold). */
export function unofferedDataElements(requested: readonly string[], offered: readonly string[]): string[] {
  const available = new Set(offered);
  return [...new Set(requested)].filter((element) => !available.has(element));
}
