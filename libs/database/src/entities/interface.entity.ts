import type { OrderCategory } from '@snitflow/lifecycle';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A data interface (snitflade), keyed SF + 4 digits. */
@Entity('interface')
export class InterfaceEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  key: string;

  @Column('text')
  title: string;

  @Column('uuid', { name: 'supplier_id' })
  supplierId: string;

  @Column('text', { name: 'default_category' })
  defaultCategory: OrderCategory;
}
