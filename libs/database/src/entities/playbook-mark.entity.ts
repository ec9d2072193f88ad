import { Column, Entity, PrimaryColumn } from 'typeorm';

export type PlaybookMark = 'FIRM' | 'TENTATIVE';

/** One cell of the playbook's interface list: project × interface, x (firm) or ? (tentative). */
@Entity('playbook_mark')
export class PlaybookMarkEntity {
  @PrimaryColumn('uuid', { name: 'interface_id' })
  interfaceId: string;

  @PrimaryColumn('uuid', { name: 'project_id' })
  projectId: string;

  @Column('text')
  mark: PlaybookMark;
}
