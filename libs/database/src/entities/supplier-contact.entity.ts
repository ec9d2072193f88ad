import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { SourceSupplierEntity } from './source-supplier.entity.js';

export type ContactLanguage = 'da' | 'en';

@Entity('supplier_contact')
export class SupplierContactEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'supplier_id' })
  supplierId: string;

  @Column('text')
  name: string;

  @Column('text')
  email: string;

  @Column('text')
  language: ContactLanguage;

  /** Set when a coordinator removed the contact: kept for the links and history that name it. */
  @Column('timestamptz', { name: 'removed_at', nullable: true })
  removedAt: Date | null;

  @ManyToOne('SourceSupplierEntity', 'contacts', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'supplier_id' })
  supplier?: SourceSupplierEntity;
}
