import { Field, ID, ObjectType } from '@nestjs/graphql';
import { ContactLanguageEnum, MatrixMarkEnum, OrderCategoryEnum } from '../graphql/enums.js';

@ObjectType('SupplierContact', { description: 'A person at a source supplier who receives order emails.' })
export class SupplierContactModel {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field()
  email: string;

  @Field(() => ContactLanguageEnum, { description: 'Language of the emails this contact receives.' })
  language: ContactLanguageEnum;
}

@ObjectType('Supplier', { description: 'A source supplier (kildeleverandør): who owns the data source.' })
export class SupplierModel {
  @Field(() => ID)
  id: string;

  @Field()
  code: string;

  @Field()
  name: string;
}

@ObjectType('Project', { description: 'A municipal IT project that requests interfaces.' })
export class ProjectModel {
  @Field(() => ID)
  id: string;

  @Field()
  code: string;

  @Field()
  name: string;

  @Field({ description: 'True when the name is an assumption (the deck lost its column headers).' })
  nameIsAssumed: boolean;

  @Field(() => String, {
    nullable: true,
    description: "This project's column header in the playbook's list.",
  })
  matrixColumn: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Where the project's notices go (request reviewed, order milestones); null: none are sent.",
  })
  contactEmail: string | null;

  @Field(() => String, { nullable: true })
  contactName: string | null;

  @Field(() => ContactLanguageEnum, { description: 'Language of the notices.' })
  contactLanguage: ContactLanguageEnum;
}

@ObjectType('DataElement', { description: 'A data element an interface offers.' })
export class DataElementModel {
  @Field()
  code: string;

  @Field()
  name: string;
}

@ObjectType('Interface', { description: 'A data interface (snitflade), keyed SF + 4 digits.' })
export class InterfaceModel {
  @Field(() => ID)
  id: string;

  @Field()
  key: string;

  @Field()
  title: string;

  supplierId: string;

  @Field(() => OrderCategoryEnum, {
    description: 'The category an order gets when consolidation names none.',
  })
  defaultCategory: OrderCategoryEnum;
}

@ObjectType('InterfaceMatrixCell')
export class InterfaceMatrixCellModel {
  @Field({ description: 'The column header, e.g. project_col_1.' })
  column: string;

  @Field(() => ProjectModel)
  project: ProjectModel;

  @Field(() => MatrixMarkEnum)
  mark: MatrixMarkEnum;
}

@ObjectType('InterfaceMatrixRow', { description: "One row of the playbook's interface list." })
export class InterfaceMatrixRowModel {
  @Field()
  key: string;

  @Field()
  title: string;

  @Field()
  sourceSupplier: string;

  @Field(() => [InterfaceMatrixCellModel])
  marks: InterfaceMatrixCellModel[];
}

@ObjectType('InterfaceMatrixImport', { description: 'What an import of the interface list changed.' })
export class InterfaceMatrixImportModel {
  @Field()
  interfacesCreated: number;

  @Field({ description: 'Interfaces whose title or supplier changed.' })
  interfacesUpdated: number;

  @Field({ description: 'Interfaces in the list that were already exactly so.' })
  interfacesUnchanged: number;

  @Field()
  suppliersCreated: number;

  @Field()
  projectsCreated: number;

  @Field({ description: 'Marks (firm and tentative) in the list.' })
  marks: number;

  @Field({ description: 'Marks added, removed or changed.' })
  marksChanged: number;

  @Field({ description: 'Data elements added, renamed or removed (with a data_elements column).' })
  dataElementsChanged: number;

  @Field({ description: 'Everything the import changed; 0 when the list was already so.' })
  changed: number;
}

@ObjectType('CatalogueChange', {
  description: 'One audited change of the catalogue: a supplier contact, a data element, or an import.',
})
export class CatalogueChangeModel {
  @Field(() => ID)
  id: string;

  @Field({
    description:
      'SUPPLIER_CONTACT_ADDED/CHANGED/REMOVED, DATA_ELEMENT_ADDED/CHANGED/REMOVED or INTERFACE_MATRIX_IMPORTED.',
  })
  kind: string;

  @Field({ description: "What changed, e.g. a contact's email or 'SF1320 CPR.NAVN'." })
  subject: string;

  @Field(() => String, { nullable: true, description: 'The values before, as JSON (null when added).' })
  before: string | null;

  @Field(() => String, { nullable: true, description: 'The values after, as JSON (null when removed).' })
  after: string | null;

  @Field({ description: "The token's subject of who made the change." })
  actorId: string;

  @Field()
  actorRole: string;

  @Field(() => String, { nullable: true })
  actorName: string | null;

  @Field()
  occurredAt: Date;
}
