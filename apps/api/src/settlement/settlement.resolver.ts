import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { AuthenticatedUser } from '@snitflow/auth';
import { CurrentUser, Roles } from '../auth/current-user.js';
import {
  DataAreaModel,
  ImportReportModel,
  MunicipalityModel,
  presentSettlement,
  SettlementChangeModel,
  SettlementModel,
} from './settlement.models.js';
import { SettlementService } from './settlement.service.js';

/**
 * Settlement (issue 10; operation names fixed by ../shared/contract-settlement.graphql).
 * Coordinators and admins only: municipalities and projects get FORBIDDEN, as
 * every role-restricted operation does (there is no per-row visibility to hide
 * behind NOT_FOUND here). Year 2000–2999 and quarter 1–4, else BAD_USER_INPUT.
 */
@Roles('coordinator', 'admin')
@Resolver(() => SettlementModel)
export class SettlementResolver {
  constructor(private readonly settlements: SettlementService) {}

  @Query(() => SettlementModel, {
    description:
      "A quarter's bills per municipality and data area (øre), with per-area totals that prove each split sums. A closed quarter returns its frozen bills; an open one is computed from today's figures. Errors: BAD_USER_INPUT (year, quarter; or a fixed cost with no inhabitants to split it over).",
  })
  async settlement(
    @Args('year', { type: () => Int }) year: number,
    @Args('quarter', { type: () => Int }) quarter: number,
  ): Promise<SettlementModel> {
    return presentSettlement(await this.settlements.settlement(year, quarter));
  }

  @Query(() => String, {
    description:
      'The same bills as CSV, header first: municipality,data_area,fixed_oere,variable_oere,true_up_oere,total_oere.',
  })
  settlementCsv(
    @Args('year', { type: () => Int }) year: number,
    @Args('quarter', { type: () => Int }) quarter: number,
  ): Promise<string> {
    return this.settlements.settlementCsv(year, quarter);
  }

  @Query(() => [MunicipalityModel], {
    description: 'Municipalities with a population figure for the year, by code.',
  })
  municipalities(@Args('year', { type: () => Int }) year: number) {
    return this.settlements.municipalities(year);
  }

  @Query(() => [DataAreaModel], { description: 'Data areas, by code.' })
  dataAreas() {
    return this.settlements.dataAreas();
  }

  @Query(() => [SettlementChangeModel], {
    description:
      'What changed in the settlement figures, when and by whom (oldest first); year: that year and data areas.',
  })
  settlementHistory(@Args('year', { type: () => Int, nullable: true }) year: number | null) {
    return this.settlements.history(year ?? null);
  }

  @Mutation(() => ImportReportModel, {
    description: 'csv: code,name,inhabitants (the population figure for that year). All rows or none.',
  })
  importMunicipalities(
    @CurrentUser() user: AuthenticatedUser,
    @Args('year', { type: () => Int }) year: number,
    @Args('csv') csv: string,
  ) {
    return this.settlements.importMunicipalities(user, year, csv);
  }

  @Mutation(() => ImportReportModel, {
    description: 'csv: code,name,interface_keys (keys separated by spaces).',
  })
  importDataAreas(@CurrentUser() user: AuthenticatedUser, @Args('csv') csv: string) {
    return this.settlements.importDataAreas(user, csv);
  }

  @Mutation(() => ImportReportModel, {
    description: "csv: data_area,fixed_oere,variable_oere,expected_lookups (KOMBIT's yearly estimate, øre).",
  })
  importCostEstimates(
    @CurrentUser() user: AuthenticatedUser,
    @Args('year', { type: () => Int }) year: number,
    @Args('csv') csv: string,
  ) {
    return this.settlements.importCostEstimates(user, year, csv);
  }

  @Mutation(() => ImportReportModel, {
    description: "csv: municipality,data_area,lookups (the quarter's actual use).",
  })
  importLookups(
    @CurrentUser() user: AuthenticatedUser,
    @Args('year', { type: () => Int }) year: number,
    @Args('quarter', { type: () => Int }) quarter: number,
    @Args('csv') csv: string,
  ) {
    return this.settlements.importLookups(user, year, quarter, csv);
  }

  @Mutation(() => ImportReportModel, {
    description: "csv: data_area,fixed_oere,variable_oere (the year's realised costs, øre).",
  })
  importRealisedCosts(
    @CurrentUser() user: AuthenticatedUser,
    @Args('year', { type: () => Int }) year: number,
    @Args('csv') csv: string,
  ) {
    return this.settlements.importRealisedCosts(user, year, csv);
  }

  @Mutation(() => SettlementModel, {
    description:
      "Freezes the quarter's bills: later corrections never change them and flow into the next Q1 true-up. Quarters close in order (CONFLICT names the open one); closing a closed quarter returns it unchanged. BAD_USER_INPUT when there is nothing to bill.",
  })
  async closeQuarter(
    @CurrentUser() user: AuthenticatedUser,
    @Args('year', { type: () => Int }) year: number,
    @Args('quarter', { type: () => Int }) quarter: number,
  ): Promise<SettlementModel> {
    return presentSettlement(await this.settlements.closeQuarter(user, year, quarter));
  }
}
