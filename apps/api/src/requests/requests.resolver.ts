import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { AuthenticatedUser } from '@snitflow/auth';
import { CurrentUser, type RequestContext, Roles } from '../auth/current-user.js';
import { InterfaceModel, ProjectModel } from '../catalogue/catalogue.models.js';
import { LoaderRegistry } from '../graphql/loaders.js';
import { InterfaceOrderModel } from '../orders/order.models.js';
import { OrdersService } from '../orders/orders.service.js';
import {
  InterfaceRequestModel,
  ReviewRequestInput,
  SubmitRequestInput,
  UpdateRequestInput,
  WithdrawRequestArgs,
} from './request.models.js';
import { RequestsService } from './requests.service.js';

@Resolver(() => InterfaceRequestModel)
export class RequestsResolver {
  constructor(
    private readonly requests: RequestsService,
    private readonly orders: OrdersService,
    private readonly loaders: LoaderRegistry,
  ) {}

  @Query(() => InterfaceRequestModel, { nullable: true })
  request(@CurrentUser() user: AuthenticatedUser, @Args('id', { type: () => ID }) id: string) {
    return this.requests.findVisible(user, id);
  }

  @Roles('project', 'coordinator', 'admin')
  @Mutation(() => InterfaceRequestModel, {
    description:
      "Requests an interface for a project; attaches to the interface's open order (made if none).",
  })
  submitRequest(@CurrentUser() user: AuthenticatedUser, @Args('input') input: SubmitRequestInput) {
    return this.requests.submit(user, input);
  }

  @Mutation(() => InterfaceRequestModel, { description: 'Changes a request; it is reviewed again.' })
  updateRequest(@CurrentUser() user: AuthenticatedUser, @Args('input') input: UpdateRequestInput) {
    return this.requests.update(user, input);
  }

  @Roles('coordinator', 'admin')
  @Mutation(() => InterfaceRequestModel, {
    description: 'Quality review: approve, request changes, or reject.',
  })
  reviewRequest(@CurrentUser() user: AuthenticatedUser, @Args('input') input: ReviewRequestInput) {
    return this.requests.review(user, input);
  }

  @Mutation(() => InterfaceRequestModel)
  withdrawRequest(@CurrentUser() user: AuthenticatedUser, @Args() args: WithdrawRequestArgs) {
    return this.requests.withdraw(user, args.requestId, args.expectedVersion ?? undefined);
  }

  @ResolveField(() => InterfaceModel)
  interface(@Parent() request: InterfaceRequestModel, @Context() context: RequestContext) {
    return this.loaders.for(context.request).interface.load(request.interfaceId);
  }

  @ResolveField(() => ProjectModel)
  project(@Parent() request: InterfaceRequestModel, @Context() context: RequestContext) {
    return this.loaders.for(context.request).project.load(request.projectId);
  }

  @ResolveField(() => InterfaceOrderModel)
  order(@CurrentUser() user: AuthenticatedUser, @Parent() request: InterfaceRequestModel) {
    return this.orders.findVisible(user, request.orderId);
  }
}
