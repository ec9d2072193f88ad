export {
  type ConsolidatedSpecification,
  consolidateRequests,
  type RequestForConsolidation,
  unofferedDataElements,
} from './consolidation.js';
export { CatalogueInputError } from './errors.js';
export {
  DATA_ELEMENT_CODE_PATTERN,
  INTERFACE_KEY_PATTERN,
  isDataElementCode,
  isInterfaceKey,
  parseInterfaceKey,
} from './interface-key.js';
export {
  type InterfaceMatrix,
  type InterfaceMatrixRow,
  type MatrixMark,
  parseInterfaceMatrixCsv,
  serializeInterfaceMatrixCsv,
} from './interface-matrix.js';
export {
  DEFAULT_CATEGORY_BY_INTERFACE,
  DEMO_DATA_ELEMENTS,
  DEMO_PROJECTS,
  DEMO_SUPPLIERS,
  type DemoContact,
  loadSeedInterfaceMatrix,
  SEED_INTERFACES_CSV_URL,
} from './seed/demo-catalogue.js';
