import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { AuthenticatedUser } from '@snitflow/auth';
import { orderMachineDiagram } from '@snitflow/lifecycle';
import { CurrentUser, type RequestContext, Roles } from '../auth/current-user.js';
import { InterfaceModel, SupplierModel } from '../catalogue/catalogue.models.js';
import { LoaderRegistry } from '../graphql/loaders.js';
import {
  decodeCursor,
  encodeCursor,
  HISTORY_PAGE_SIZE,
  HistoryArgs,
  PageArgs,
} from '../graphql/pagination.js';
import { InterfaceRequestModel } from '../requests/request.models.js';
import {
  AnswerSupplierInput,
  ConsolidateArgs,
  CounterProposalInput,
  ExtendDeadlineArgs,
  GoLiveInput,
  OrderFilter,
  OrderTarget,
  OverdueFilter,
  PlanTestInput,
  ReasonedOrderTarget,
  RecordTestResultInput,
  RequestFixInput,
  RespondToScopeReductionInput,
  SendAmendmentInput,
  SendToSupplierInput,
  StartPlanBInput,
  SupplierResponseInput,
  TurnDownAmendmentInput,
} from './order.inputs.js';
import {
  InterfaceOrderModel,
  OrderConnection,
  OrderEventConnection,
  OrderEventModel,
  ScopeReductionModel,
  TestResultModel,
} from './order.models.js';
import { OrdersService } from './orders.service.js';

/**
 * Orders over GraphQL. Resolvers authenticate (global guard), validate
 * (input classes) and delegate; whether an event may happen now, and for
 * whom, is decided by the lifecycle machine.
 */
@Resolver(() => InterfaceOrderModel)
export class OrdersResolver {
  constructor(
    private readonly orderService: OrdersService,
    private readonly loaders: LoaderRegistry,
  ) {}

  @Query(() => OrderConnection, {
    description: 'Orders, newest first; a project user sees those it requested.',
  })
  orders(
    @CurrentUser() user: AuthenticatedUser,
    @Args() page: PageArgs,
    @Args('filter', { type: () => OrderFilter, nullable: true }) filter?: OrderFilter,
  ) {
    return this.orderService.list(user, filter, page.first, page.after);
  }

  @Query(() => OrderConnection, {
    description:
      'Orders past the deadline of the state they are in: escalated first, then most overdue; with who holds the ball.',
  })
  overdueQueue(
    @CurrentUser() user: AuthenticatedUser,
    @Args() page: PageArgs,
    @Args('filter', { type: () => OverdueFilter, nullable: true }) filter?: OverdueFilter,
  ) {
    return this.orderService.overdueQueue(user, filter, page.first, page.after);
  }

  @Query(() => InterfaceOrderModel, { nullable: true })
  order(@CurrentUser() user: AuthenticatedUser, @Args('id', { type: () => ID }) id: string) {
    return this.orderService.findVisible(user, id);
  }

  @Query(() => String, {
    description:
      'The lifecycle as a Mermaid stateDiagram-v2, generated from the machine; with orderId, its state is highlighted.',
  })
  async machineDiagram(
    @CurrentUser() user: AuthenticatedUser,
    @Args('orderId', { type: () => ID, nullable: true }) orderId?: string,
  ) {
    if (!orderId) return orderMachineDiagram();
    const order = await this.orderService.findVisible(user, orderId);
    return orderMachineDiagram({ highlightStatePath: order.state });
  }

  // ── fields ───────────────────────────────────────────────────────────────

  @ResolveField(() => InterfaceModel)
  interface(@Parent() order: InterfaceOrderModel, @Context() context: RequestContext) {
    return this.loaders.for(context.request).interface.load(order.interfaceId);
  }

  @ResolveField(() => SupplierModel, { description: 'The supplier currently negotiated with.' })
  supplier(@Parent() order: InterfaceOrderModel, @Context() context: RequestContext) {
    return this.loaders.for(context.request).supplier.load(order.supplierId);
  }

  @ResolveField(() => [InterfaceRequestModel], {
    description: "A project user sees its own project's requests.",
  })
  async requests(
    @CurrentUser() user: AuthenticatedUser,
    @Parent() order: InterfaceOrderModel,
    @Context() context: RequestContext,
  ) {
    const requests = await this.loaders.for(context.request).requestsByOrder.load(order.id);
    return user.role === 'project'
      ? requests.filter((request) => request.projectId === user.projectId)
      : requests;
  }

  @ResolveField(() => [String], { description: "The events you may send now, as the machine's event types." })
  allowedEvents(
    @CurrentUser() user: AuthenticatedUser,
    @Parent() order: InterfaceOrderModel,
    @Context() context: RequestContext,
  ) {
    const loaders = this.loaders.for(context.request);
    return this.orderService.allowedEvents(user, order, (key) => loaders.orderFacts.load(key));
  }

  @ResolveField(() => [OrderEventModel], {
    description:
      'Accepted events, oldest first: the first `first` (default and at most 100) after `afterVersion`. An order with more events pages on with afterVersion, or with historyConnection. A project user sees events about other projects redacted.',
  })
  async history(
    @CurrentUser() user: AuthenticatedUser,
    @Parent() order: InterfaceOrderModel,
    @Context() context: RequestContext,
    @Args() page: HistoryArgs,
  ): Promise<OrderEventModel[]> {
    return (await this.historyPage(user, order, context, page.first, page.afterVersion ?? 0)).events;
  }

  @ResolveField(() => OrderEventConnection, {
    description:
      'The history as pages with cursors: `first` (default and at most 100) events after the cursor `after`, oldest first.',
  })
  async historyConnection(
    @CurrentUser() user: AuthenticatedUser,
    @Parent() order: InterfaceOrderModel,
    @Context() context: RequestContext,
    @Args() page: PageArgs,
  ): Promise<OrderEventConnection> {
    const afterVersion = page.after ? Number(decodeCursor(page.after, ['count'])[0]) : 0;
    const { events, hasNextPage } = await this.historyPage(user, order, context, page.first, afterVersion);
    const edges = events.map((node) => ({ cursor: encodeCursor([String(node.version)]), node }));
    return { edges, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  private async historyPage(
    user: AuthenticatedUser,
    order: InterfaceOrderModel,
    context: RequestContext,
    first: number | undefined,
    afterVersion: number,
  ): Promise<{ events: OrderEventModel[]; hasNextPage: boolean }> {
    const loaders = this.loaders.for(context.request);
    const limit = first ?? HISTORY_PAGE_SIZE;
    const rows = await loaders.historyPage.load({ orderId: order.id, afterVersion, limit: limit + 1 });
    const own =
      user.role === 'project'
        ? {
            projectId: user.projectId ?? '',
            requestIds: new Set(
              (await loaders.requestsByOrder.load(order.id))
                .filter((request) => request.projectId === user.projectId)
                .map((request) => request.id),
            ),
          }
        : null;
    return {
      events: this.orderService.historyModel(rows.slice(0, limit), own),
      hasNextPage: rows.length > limit,
    };
  }

  @ResolveField(() => ScopeReductionModel, {
    nullable: true,
    description:
      "A reduced scope and the projects' answers; a project user sees its own answer only (another project's objection is its business).",
  })
  scopeReduction(
    @CurrentUser() user: AuthenticatedUser,
    @Parent() order: InterfaceOrderModel,
  ): ScopeReductionModel | null {
    const reduction = order.scopeReduction;
    if (!reduction || user.role !== 'project') return reduction;
    return {
      ...reduction,
      responses: reduction.responses.filter((answer) => answer.projectId === user.projectId),
    };
  }

  @ResolveField(() => [TestResultModel], {
    description: "Results per project; a project user sees its own project's only.",
  })
  testResults(
    @CurrentUser() user: AuthenticatedUser,
    @Parent() order: InterfaceOrderModel,
  ): TestResultModel[] {
    return user.role === 'project'
      ? order.testResults.filter((result) => result.projectId === user.projectId)
      : order.testResults;
  }

  // ── lifecycle ────────────────────────────────────────────────────────────

  @Roles('coordinator', 'admin')
  @Mutation(() => InterfaceOrderModel, {
    description: 'Merges the approved requests into one specification.',
  })
  consolidateOrder(@CurrentUser() user: AuthenticatedUser, @Args() args: ConsolidateArgs) {
    return this.orderService.consolidate(user, args);
  }

  @Roles('coordinator', 'admin')
  @Mutation(() => InterfaceOrderModel)
  sendToSupplier(
    @CurrentUser() user: AuthenticatedUser,
    @Args() target: OrderTarget,
    @Args('input', { type: () => SendToSupplierInput, nullable: true }) input?: SendToSupplierInput,
  ) {
    return this.orderService.sendToSupplier(user, target, input);
  }

  @Roles('coordinator', 'admin')
  @Mutation(() => InterfaceOrderModel, {
    description: "Records the supplier's answer on its behalf (e.g. given by phone).",
  })
  recordSupplierResponse(
    @CurrentUser() user: AuthenticatedUser,
    @Args() target: OrderTarget,
    @Args('input') input: SupplierResponseInput,
  ) {
    return this.orderService.recordSupplierResponse(user, target, input);
  }

  @Roles('coordinator', 'admin')
  @Mutation(() => InterfaceOrderModel, { description: "Answers the supplier's question." })
  answerSupplier(
    @CurrentUser() user: AuthenticatedUser,
    @Args() target: OrderTarget,
    @Args('input') input: AnswerSupplierInput,
  ) {
    return this.orderService.answerSupplier(user, target, input);
  }

  @Roles('coordinator', 'admin')
  @Mutation(() => InterfaceOrderModel)
  acceptProposal(@CurrentUser() user: AuthenticatedUser, @Args() target: OrderTarget) {
    return this.orderService.acceptProposal(user, target);
  }

  @Roles('coordinator', 'admin')
  @Mutation(() => InterfaceOrderModel)
  counterProposal(
    @CurrentUser() user: AuthenticatedUser,
    @Args() target: OrderTarget,
    @Args('input') input: CounterProposalInput,
  ) {
    return this.orderService.counterProposal(user, target, input);
  }

  @Roles('coordinator', 'admin')
  @Mutation(() => InterfaceOrderModel)
  startPlanB(
    @CurrentUser() user: AuthenticatedUser,
    @Args() target: OrderTarget,
    @Args('input') input: StartPlanBInput,
  ) {
    return this.orderService.startPlanB(user, target, input);
  }

  @Mutation(() => InterfaceOrderModel, {
    description:
      "A project's answer to a reduced scope: ACKNOWLEDGED, or OBJECTED with a comment. A project user answers for its own project; a coordinator for any asked project. The last answer moves the order on to planB.",
  })
  respondToScopeReduction(
    @CurrentUser() user: AuthenticatedUser,
    @Args() target: OrderTarget,
    @Args('input') input: RespondToScopeReductionInput,
  ) {
    return this.orderService.respondToScopeReduction(user, target, input);
  }

  @Roles('coordinator', 'admin')
  @Mutation(() => InterfaceOrderModel, {
    description:
      'Sends the specification as the requests now stand (the pending amendments taken in) to the supplier as a new round; the email and the reply page show what changed.',
  })
  sendAmendment(
    @CurrentUser() user: AuthenticatedUser,
    @Args() target: OrderTarget,
    @Args('input', { type: () => SendAmendmentInput, nullable: true }) input?: SendAmendmentInput,
  ) {
    return this.orderService.sendAmendment(user, target, input);
  }

  @Roles('coordinator', 'admin')
  @Mutation(() => InterfaceOrderModel, {
    description:
      "Turns one request's pending change down: the order stays as it is and the comment goes to the project.",
  })
  turnDownAmendment(
    @CurrentUser() user: AuthenticatedUser,
    @Args() target: OrderTarget,
    @Args('input') input: TurnDownAmendmentInput,
  ) {
    return this.orderService.turnDownAmendment(user, target, input);
  }

  @Roles('coordinator', 'admin')
  @Mutation(() => InterfaceOrderModel)
  planTest(
    @CurrentUser() user: AuthenticatedUser,
    @Args() target: OrderTarget,
    @Args('input') input: PlanTestInput,
  ) {
    return this.orderService.planTest(user, target, input);
  }

  @Roles('coordinator', 'admin')
  @Mutation(() => InterfaceOrderModel)
  startTest(@CurrentUser() user: AuthenticatedUser, @Args() target: OrderTarget) {
    return this.orderService.startTest(user, target);
  }

  @Mutation(() => InterfaceOrderModel, {
    description: 'Records one project test result; a project user records its own.',
  })
  recordTestResult(
    @CurrentUser() user: AuthenticatedUser,
    @Args() target: OrderTarget,
    @Args('input') input: RecordTestResultInput,
  ) {
    return this.orderService.recordTestResult(user, target, input);
  }

  @Roles('coordinator', 'admin')
  @Mutation(() => InterfaceOrderModel, { description: 'Passes the test once every participant has passed.' })
  completeTest(@CurrentUser() user: AuthenticatedUser, @Args() target: OrderTarget) {
    return this.orderService.completeTest(user, target);
  }

  @Roles('coordinator', 'admin')
  @Mutation(() => InterfaceOrderModel, { description: 'Sends a failed test back to the supplier for a fix.' })
  requestFix(
    @CurrentUser() user: AuthenticatedUser,
    @Args() target: OrderTarget,
    @Args('input') input: RequestFixInput,
  ) {
    return this.orderService.requestFix(user, target, input);
  }

  @Roles('coordinator', 'admin')
  @Mutation(() => InterfaceOrderModel)
  goLive(
    @CurrentUser() user: AuthenticatedUser,
    @Args() target: OrderTarget,
    @Args('input') input: GoLiveInput,
  ) {
    return this.orderService.goLive(user, target, input);
  }

  @Roles('coordinator', 'admin')
  @Mutation(() => InterfaceOrderModel)
  putOnHold(@CurrentUser() user: AuthenticatedUser, @Args() target: ReasonedOrderTarget) {
    return this.orderService.putOnHold(user, target);
  }

  @Roles('coordinator', 'admin')
  @Mutation(() => InterfaceOrderModel, { description: 'Returns the order exactly where it was put on hold.' })
  resumeOrder(@CurrentUser() user: AuthenticatedUser, @Args() target: OrderTarget) {
    return this.orderService.resume(user, target);
  }

  @Roles('coordinator', 'admin')
  @Mutation(() => InterfaceOrderModel, {
    description: "Moves the current state's deadline; pending reminders follow the new date.",
  })
  extendDeadline(@CurrentUser() user: AuthenticatedUser, @Args() args: ExtendDeadlineArgs) {
    return this.orderService.extendDeadline(user, args);
  }

  @Roles('coordinator', 'admin')
  @Mutation(() => InterfaceOrderModel)
  cancelOrder(@CurrentUser() user: AuthenticatedUser, @Args() target: ReasonedOrderTarget) {
    return this.orderService.cancel(user, target);
  }
}
