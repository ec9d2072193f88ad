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

  @Field()
  interfacesUpdated: number;

  @Field()
  suppliersCreated: number;

  @Field()
  projectsCreated: number;

  @Field()
  marks: number;
}
