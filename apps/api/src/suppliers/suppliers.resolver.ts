import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { assertUuid } from '@snitflow/common';
import { Roles } from '../auth/current-user.js';
import { SupplierResponseStatsModel } from './supplier-stats.models.js';
import { SupplierStatsService } from './supplier-stats.service.js';

@Resolver(() => SupplierResponseStatsModel)
export class SupplierStatsResolver {
  constructor(private readonly stats: SupplierStatsService) {}

  @Roles('coordinator', 'admin')
  @Query(() => [SupplierResponseStatsModel], { description: 'Response figures per source supplier.' })
  supplierResponseStats(@Args('supplierId', { type: () => ID, nullable: true }) supplierId?: string) {
    return this.stats.stats(supplierId ? assertUuid(supplierId, 'supplierId') : null);
  }
}
