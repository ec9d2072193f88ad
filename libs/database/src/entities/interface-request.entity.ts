import type { RequestStatus } from '@snitflow/lifecycle';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type RequestFirmness = 'FIRM' | 'TENTATIVE';

/** One project's request for one interface, attached to that interface's open order. */
@Entity('interface_request')
export class InterfaceRequestEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'order_id' })
  orderId: string;

  @Column('uuid', { name: 'interface_id' })
  interfaceId: string;

  @Column('uuid', { name: 'project_id' })
  projectId: string;

  @Column('text')
  status: RequestStatus;

  @Column('text', { name: 'data_elements', array: true })
  dataElements: string[];

  /** Requested elements the interface does not offer; approval is blocked while any remain. */
  @Column('text', { name: 'unoffered_data_elements', array: true })
  unofferedDataElements: string[];

  /** ISO date (YYYY-MM-DD); pg returns `date` as a string here (see data-source options). */
  @Column('date', { name: 'need_by' })
  needBy: string;

  @Column('text')
  firmness: RequestFirmness;

  @Column('text')
  justification: string;

  @Column('text', { name: 'tender_reference' })
  tenderReference: string;

  @Column('text', { name: 'review_comment', nullable: true })
  reviewComment: string | null;

  @Column('text', { name: 'reviewed_by', nullable: true })
  reviewedBy: string | null;

  @Column('timestamptz', { name: 'reviewed_at', nullable: true })
  reviewedAt: Date | null;

  @Column('text', { name: 'submitted_by' })
  submittedBy: string;

  @Column('integer')
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
