import type { OrderCategory, Party } from '@snitflow/lifecycle';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * The one consolidated order per interface that goes to the supplier. Its
 * lifecycle lives in `snapshot` (a persisted XState snapshot of
 * `machine_version`); `state`, `category` and `ball_in_court` are copies kept
 * for indexing and listing, written in the same statement as the snapshot.
 * Writes go through OrderTransitionService only (row lock + version check).
 */
@Entity('interface_order')
export class InterfaceOrderEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', insert: false, update: false })
  reference: string;

  @Column('uuid', { name: 'interface_id' })
  interfaceId: string;

  @Column('uuid', { name: 'supplier_id' })
  supplierId: string;

  @Column('text')
  state: string;

  @Column({ type: 'boolean', name: 'is_open', insert: false, update: false })
  isOpen: boolean;

  @Column('text', { nullable: true })
  category: OrderCategory | null;

  @Column('text', { name: 'ball_in_court' })
  ballInCourt: Party;

  @Column('integer', { name: 'machine_version' })
  machineVersion: number;

  @Column('jsonb')
  snapshot: Record<string, unknown>;

  @Column('integer')
  version: number;

  @Column('timestamptz', { name: 'due_at', nullable: true })
  dueAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
