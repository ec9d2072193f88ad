import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One accepted event in an order's append-only history. */
@Entity('order_event')
export class OrderEventEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id: string;

  @Column('uuid', { name: 'order_id' })
  orderId: string;

  /** The order version this event produced (gapless per order). */
  @Column('integer')
  version: number;

  @Column('text')
  type: string;

  @Column('text', { name: 'actor_id' })
  actorId: string;

  @Column('text', { name: 'actor_role' })
  actorRole: string;

  @Column('text', { name: 'actor_name', nullable: true })
  actorName: string | null;

  @Column('text', { name: 'from_state' })
  fromState: string;

  @Column('text', { name: 'to_state' })
  toState: string;

  @Column('jsonb')
  payload: Record<string, unknown>;

  @Column('timestamptz', { name: 'occurred_at' })
  occurredAt: Date;
}
