import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { AuthenticatedUser } from '@snitflow/auth';
import { CurrentUser, type RequestContext, Roles } from '../auth/current-user.js';
import { InterfaceMatrixRowModel } from '../catalogue/catalogue.models.js';
import { InterfaceOrderModel } from '../orders/order.models.js';
import { OrdersService } from '../orders/orders.service.js';
import { StatusReportArgs } from './programme.inputs.js';
import {
  GoLiveForecastModel,
  ProgrammeForecastModel,
  StatusReportModel,
  TestStrategyModel,
} from './programme.models.js';
import { ProgrammeService } from './programme.service.js';

/**
 * The programme's view over GraphQL. The whole-programme queries are for coordinators and
 * admins (a project token gets FORBIDDEN); the forecast of one order goes with the order, to
 * whoever may see it.
 */
@Resolver()
export class ProgrammeResolver {
  constructor(private readonly programme: ProgrammeService) {}

  @Roles('coordinator', 'admin')
  @Query(() => StatusReportModel, {
    description:
      'The status report for a steering-group meeting: since last time (the period, from the history), orders by state and category, consolidation, overdue orders by supplier and ball, supplier answer times, the go-live forecast and the test strategy. Coordinators and admins; BAD_USER_INPUT (since) when since is after until or the period exceeds 366 days. The printable page: GET /admin/programme/report.',
  })
  statusReport(@Args() args: StatusReportArgs) {
    return this.programme.report(args.since, args.until);
  }

  @Roles('coordinator', 'admin')
  @Query(() => ProgrammeForecastModel, {
    description:
      'The go-live forecast of every order and, per project, when all its interfaces are expected live.',
  })
  goLiveForecast() {
    return this.programme.programmeForecast();
  }

  @Roles('coordinator', 'admin')
  @Query(() => TestStrategyModel, { description: 'The test strategy across orders.' })
  testStrategy() {
    return this.programme.programmeTestStrategy();
  }
}

@Resolver(() => InterfaceOrderModel)
export class OrderForecastResolver {
  constructor(private readonly programme: ProgrammeService) {}

  @ResolveField(() => GoLiveForecastModel, {
    description:
      'When this order is expected live, and whether that is after its need-by date (see GoLiveForecast).',
  })
  forecast(@Parent() order: InterfaceOrderModel, @Context() context: RequestContext) {
    return this.programme.orderForecast(context.request, order);
  }
}

@Resolver(() => InterfaceMatrixRowModel)
export class MatrixOrderResolver {
  constructor(
    private readonly programme: ProgrammeService,
    private readonly orders: OrdersService,
  ) {}

  @ResolveField(() => InterfaceOrderModel, {
    nullable: true,
    description:
      "The interface's order now (its open one, else its latest): state, ballInCourt, dueAt, category, responsibleParties, forecast. Null when never requested, or for a project user when its project has no request on it.",
  })
  async order(
    @CurrentUser() user: AuthenticatedUser,
    @Parent() row: InterfaceMatrixRowModel,
    @Context() context: RequestContext,
  ) {
    const order = await this.programme.currentOrderOf(context.request, row.key);
    if (!order) return null;
    if (user.role === 'project' && !order.projectIds.includes(user.projectId ?? '')) return null;
    return this.orders.toModel(order);
  }
}
