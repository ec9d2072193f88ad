import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A data element an interface offers, e.g. CPR.NAVN on SF1320. */
@Entity('data_element')
export class DataElementEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'interface_id' })
  interfaceId: string;

  @Column('text')
  code: string;

  @Column('text')
  name: string;
}
