import { Column, CreateDateColumn, Entity, OneToMany, PrimaryGeneratedColumn } from 'typeorm';
import { SupplierContactEntity } from './supplier-contact.entity.js';

@Entity('source_supplier')
export class SourceSupplierEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  code: string;

  @Column('text')
  name: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @OneToMany(
    () => SupplierContactEntity,
    (contact) => contact.supplier,
  )
  contacts?: SupplierContactEntity[];
}
