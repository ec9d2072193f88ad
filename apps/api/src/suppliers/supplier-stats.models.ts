import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { SupplierModel } from '../catalogue/catalogue.models.js';

@ObjectType('SupplierResponseStats', {
  description:
    'How fast a supplier answers: business days from the order (or a new round) reaching it to its answer.',
})
export class SupplierResponseStatsModel {
  @Field(() => SupplierModel)
  supplier: SupplierModel;

  @Field(() => Int, { description: 'Waits the supplier has answered (accept, propose, ask or decline).' })
  answered: number;

  @Field(() => Float, { nullable: true })
  medianBusinessDays: number | null;

  @Field(() => Int, { nullable: true, description: '90th percentile (nearest rank).' })
  p90BusinessDays: number | null;

  @Field(() => Int, { description: 'Orders waiting for this supplier now.' })
  openWaits: number;

  @Field(() => Int, { description: 'Of those, past their deadline.' })
  overdue: number;
}
