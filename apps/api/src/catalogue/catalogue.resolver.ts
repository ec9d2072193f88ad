import { Args, Context, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { AuthenticatedUser } from '@snitflow/auth';
import { CurrentUser, type RequestContext, Roles } from '../auth/current-user.js';
import { LoaderRegistry } from '../graphql/loaders.js';
import {
  AddSupplierContactInput,
  DataElementInput,
  SetProjectContactInput,
  UpdateSupplierContactInput,
} from './catalogue.inputs.js';
import {
  CatalogueChangeModel,
  DataElementModel,
  InterfaceMatrixImportModel,
  InterfaceMatrixRowModel,
  InterfaceModel,
  ProjectModel,
  SupplierContactModel,
  SupplierModel,
} from './catalogue.models.js';
import { CatalogueService } from './catalogue.service.js';
import { CatalogueChangesService } from './catalogue-changes.service.js';

@Resolver(() => InterfaceModel)
export class InterfaceResolver {
  constructor(
    private readonly catalogue: CatalogueService,
    private readonly changes: CatalogueChangesService,
    private readonly loaders: LoaderRegistry,
  ) {}

  @Query(() => [InterfaceModel], { description: 'Every interface in the catalogue, by key.' })
  interfaces() {
    return this.catalogue.interfaces();
  }

  @Query(() => InterfaceModel, { nullable: true, description: 'One interface by key (SF + 4 digits).' })
  interface(@Args('key') key: string) {
    return this.catalogue.interfaceByKey(key);
  }

  @Query(() => [InterfaceMatrixRowModel], {
    description: "The playbook's interface list: interfaces × projects.",
  })
  interfaceMatrix() {
    return this.catalogue.matrix();
  }

  @Query(() => String, {
    description:
      "The playbook's interface list as CSV, in the seed file's format; withDataElements adds the data_elements column (CODE=Name;CODE=Name). Cells that would start a spreadsheet formula get a leading ' (OWASP CSV injection).",
  })
  interfaceMatrixCsv(
    @Args('withDataElements', { type: () => Boolean, defaultValue: false }) withDataElements: boolean,
  ) {
    return this.catalogue.exportMatrixCsv(withDataElements);
  }

  @Roles('coordinator', 'admin')
  @Mutation(() => InterfaceMatrixImportModel, {
    description:
      "Imports the playbook's interface list (CSV as exported, optionally with the data_elements column, which then replaces each interface's data elements); all rows or none. Only differences are written; an identical list reports changed: 0. Audited when it changes anything.",
  })
  importInterfaceMatrix(@CurrentUser() user: AuthenticatedUser, @Args('csv') csv: string) {
    return this.catalogue.importMatrixCsv(user, csv);
  }

  @Roles('coordinator', 'admin')
  @Mutation(() => InterfaceModel, {
    description:
      'Adds a data element the interface offers; undecided requests are checked again (one asking for it can now be approved). Audited. Errors: NOT_FOUND (interface), BAD_USER_INPUT (code, name, a code it already has).',
  })
  addDataElement(@CurrentUser() user: AuthenticatedUser, @Args('input') input: DataElementInput) {
    return this.changes.addDataElement(user, input);
  }

  @Roles('coordinator', 'admin')
  @Mutation(() => InterfaceModel, {
    description:
      'Renames a data element; its code stays (requests refer to it). Audited. Errors: NOT_FOUND (interface or element), BAD_USER_INPUT (name).',
  })
  updateDataElement(@CurrentUser() user: AuthenticatedUser, @Args('input') input: DataElementInput) {
    return this.changes.updateDataElement(user, input);
  }

  @Roles('coordinator', 'admin')
  @Mutation(() => InterfaceModel, {
    description:
      'Removes a data element; undecided requests asking for it are flagged again. Decided requests and orders keep what they agreed. Audited. Errors: NOT_FOUND.',
  })
  removeDataElement(
    @CurrentUser() user: AuthenticatedUser,
    @Args('interfaceKey') interfaceKey: string,
    @Args('code') code: string,
  ) {
    return this.changes.removeDataElement(user, interfaceKey, code);
  }

  @Roles('coordinator', 'admin')
  @Query(() => [CatalogueChangeModel], {
    description:
      'Audited changes of the catalogue (contacts, data elements, imports), newest first; first 1–100.',
  })
  async catalogueChanges(@Args('first', { type: () => Int, defaultValue: 50 }) first: number) {
    const rows = await this.changes.history(first);
    return rows.map((row) => ({
      ...row,
      before: row.before === null ? null : JSON.stringify(row.before),
      after: row.after === null ? null : JSON.stringify(row.after),
    }));
  }

  @ResolveField(() => SupplierModel)
  async supplier(@Parent() parent: InterfaceModel, @Context() context: RequestContext) {
    return this.loaders.for(context.request).supplier.load(parent.supplierId);
  }

  @ResolveField(() => [DataElementModel], { description: 'The data elements this interface offers.' })
  dataElements(@Parent() parent: InterfaceModel, @Context() context: RequestContext) {
    return this.loaders.for(context.request).dataElementsByInterface.load(parent.id);
  }
}

@Resolver(() => SupplierModel)
export class SupplierResolver {
  constructor(
    private readonly catalogue: CatalogueService,
    private readonly changes: CatalogueChangesService,
    private readonly loaders: LoaderRegistry,
  ) {}

  @Roles('coordinator', 'admin')
  @Mutation(() => SupplierContactModel, {
    description:
      "Adds a person who receives the supplier's order emails. Audited. Errors: NOT_FOUND (supplier), BAD_USER_INPUT (name, email, an address that is already a contact).",
  })
  addSupplierContact(@CurrentUser() user: AuthenticatedUser, @Args('input') input: AddSupplierContactInput) {
    return this.changes.addContact(user, input);
  }

  @Roles('coordinator', 'admin')
  @Mutation(() => SupplierContactModel, {
    description:
      "Changes a contact's name, email or language (the next email uses them). Audited. Errors: NOT_FOUND (unknown or removed contact), BAD_USER_INPUT.",
  })
  updateSupplierContact(
    @CurrentUser() user: AuthenticatedUser,
    @Args('input') input: UpdateSupplierContactInput,
  ) {
    return this.changes.updateContact(user, input);
  }

  @Roles('coordinator', 'admin')
  @Mutation(() => SupplierContactModel, {
    description:
      'Removes a contact: no new round or reminder goes to it; a link it was already sent still answers. Audited. Errors: NOT_FOUND (unknown or already removed).',
  })
  removeSupplierContact(@CurrentUser() user: AuthenticatedUser, @Args('contactId') contactId: string) {
    return this.changes.removeContact(user, contactId);
  }

  @Query(() => [SupplierModel], { description: 'Source suppliers, by name.' })
  suppliers() {
    return this.catalogue.suppliers();
  }

  @ResolveField(() => [SupplierContactModel], {
    description: 'Current contacts (removed ones are not listed).',
  })
  async contacts(@Parent() parent: SupplierModel, @Context() context: RequestContext) {
    const contacts = await this.loaders.for(context.request).contactsBySupplier.load(parent.id);
    return contacts.filter((contact) => contact.removedAt === null);
  }
}

@Resolver(() => ProjectModel)
export class ProjectResolver {
  constructor(private readonly catalogue: CatalogueService) {}

  /** Another project's mailbox is not a project user's business (it reaches them through interfaceMatrix). */
  private contactVisible(user: AuthenticatedUser, project: ProjectModel): boolean {
    return user.role !== 'project' || project.id === user.projectId;
  }

  @ResolveField(() => String, {
    nullable: true,
    description:
      "Where the project's notices go (request reviewed, order milestones); null: none are sent. Null for a project user looking at another project.",
  })
  contactEmail(@CurrentUser() user: AuthenticatedUser, @Parent() project: ProjectModel): string | null {
    return this.contactVisible(user, project) ? project.contactEmail : null;
  }

  @ResolveField(() => String, {
    nullable: true,
    description: 'Who reads the mailbox. Null for a project user looking at another project.',
  })
  contactName(@CurrentUser() user: AuthenticatedUser, @Parent() project: ProjectModel): string | null {
    return this.contactVisible(user, project) ? project.contactName : null;
  }

  @Query(() => [ProjectModel], { description: 'Projects; a project user sees its own.' })
  projects(@CurrentUser() user: AuthenticatedUser) {
    return this.catalogue.projects(user.role === 'project' ? user.projectId : null);
  }

  @Roles('coordinator', 'admin', 'project')
  @Mutation(() => ProjectModel, {
    description:
      "Sets where a project's notices go. Coordinators for any project; a project user for its own.",
  })
  setProjectContact(@CurrentUser() user: AuthenticatedUser, @Args('input') input: SetProjectContactInput) {
    return this.catalogue.setProjectContact(user, input);
  }
}
