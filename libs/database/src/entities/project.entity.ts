import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('project')
export class ProjectEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  code: string;

  @Column('text')
  name: string;

  /** The deck lost its column headers: demo project names are assumptions and say so. */
  @Column('boolean', { name: 'name_is_assumed', default: false })
  nameIsAssumed: boolean;

  /** Header of this project's column in the playbook's interface list. */
  @Column('text', { name: 'matrix_column', nullable: true })
  matrixColumn: string | null;

  @Column('integer', { name: 'matrix_position', nullable: true })
  matrixPosition: number | null;

  /** Who gets the project's notices (request reviewed, order milestones); none without an email. */
  @Column('text', { name: 'contact_name', nullable: true })
  contactName: string | null;

  @Column('text', { name: 'contact_email', nullable: true })
  contactEmail: string | null;

  @Column('text', { name: 'contact_language', default: 'da' })
  contactLanguage: 'da' | 'en';
}
