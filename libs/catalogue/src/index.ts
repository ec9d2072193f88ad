export {
  type ConsolidatedSpecification,
  consolidateRequests,
  isIsoDate,
  type RequestForConsolidation,
  unofferedDataElements,
} from './consolidation.js';
export {
  DATA_ELEMENT_CODE_MAX_LENGTH,
  DATA_ELEMENT_CODE_PATTERN,
  dataElementCodeMessage,
  isDataElementCode,
  parseDataElementCode,
} from './data-element-code.js';
export { CatalogueInputError, type CatalogueProblem } from './errors.js';
export {
  INTERFACE_KEY_PATTERN,
  interfaceKeyMessage,
  isInterfaceKey,
  parseInterfaceKey,
} from './interface-key.js';
export {
  DATA_ELEMENTS_COLUMN,
  type InterfaceMatrix,
  type InterfaceMatrixRow,
  MATRIX_FIXED_COLUMNS,
  type MatrixDataElement,
  type MatrixMark,
  parseInterfaceMatrixCsv,
  serializeInterfaceMatrixCsv,
} from './interface-matrix.js';
export {
  DEFAULT_CATEGORY_BY_INTERFACE,
  DEFAULT_CATEGORY_RULES,
  DEMO_DATA_ELEMENTS,
  DEMO_PROJECTS,
  DEMO_SUPPLIERS,
  type DemoCategoryRule,
  type DemoContact,
  type DemoDataElement,
  type DemoProject,
  type DemoSupplier,
} from './seed/demo-catalogue.js';
export {
  loadSeedInterfaceMatrix,
  readSeedInterfacesCsv,
  SEED_INTERFACES_CSV_URL,
  seedInterfacesCsvPath,
} from './seed/load-seed.js';
