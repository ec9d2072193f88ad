import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { AuthenticatedUser } from '@snitflow/auth';
import { CurrentUser, type RequestContext, Roles } from '../auth/current-user.js';
import { LoaderRegistry } from '../graphql/loaders.js';
import { SetProjectContactInput } from './catalogue.inputs.js';
import {
  DataElementModel,
  InterfaceMatrixImportModel,
  InterfaceMatrixRowModel,
  InterfaceModel,
  ProjectModel,
  SupplierContactModel,
  SupplierModel,
} from './catalogue.models.js';
import { CatalogueService } from './catalogue.service.js';

@Resolver(() => InterfaceModel)
export class InterfaceResolver {
  constructor(
    private readonly catalogue: CatalogueService,
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

  @Query(() => String, { description: "The playbook's interface list as CSV, in the seed file's format." })
  interfaceMatrixCsv() {
    return this.catalogue.exportMatrixCsv();
  }

  @Roles('coordinator', 'admin')
  @Mutation(() => InterfaceMatrixImportModel, {
    description: "Imports the playbook's interface list (CSV as exported); all rows or none.",
  })
  importInterfaceMatrix(@Args('csv') csv: string) {
    return this.catalogue.importMatrixCsv(csv);
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
    private readonly loaders: LoaderRegistry,
  ) {}

  @Query(() => [SupplierModel], { description: 'Source suppliers, by name.' })
  suppliers() {
    return this.catalogue.suppliers();
  }

  @ResolveField(() => [SupplierContactModel])
  contacts(@Parent() parent: SupplierModel, @Context() context: RequestContext) {
    return this.loaders.for(context.request).contactsBySupplier.load(parent.id);
  }
}

@Resolver(() => ProjectModel)
export class ProjectResolver {
  constructor(private readonly catalogue: CatalogueService) {}

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
