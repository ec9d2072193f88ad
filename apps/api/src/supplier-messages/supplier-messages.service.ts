import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { notFound } from '@snitflow/common';
import { SupplierInbox } from '@snitflow/orders';
import { DataSource } from 'typeorm';
import type { SupplierMessageModel } from './supplier-message.models.js';

const MESSAGE_COLUMNS = `m.id, m.order_id AS "orderId", m.kind, m.status, m.late, m.from_address AS "fromAddress",
  m.from_name AS "fromName", c.email AS "recipientEmail", m.subject, m.body AS text,
  to_char(m.away_until, 'YYYY-MM-DD') AS "awayUntil", m.order_version AS "orderVersion",
  m.received_at AS "receivedAt", m.decided_by AS "decidedBy", m.decided_at AS "decidedAt",
  coalesce((SELECT json_agg(json_build_object('id', a.id, 'filename', a.filename, 'contentType', a.content_type,
                                              'sizeBytes', a.size_bytes) ORDER BY a.filename, a.id)
              FROM supplier_message_attachment a WHERE a.message_id = m.id), '[]') AS attachments`;

/** The path an attachment is downloaded from (SupplierMessageAttachmentsController). */
export const attachmentPath = (id: string) => `/supplier-messages/attachments/${id}`;

type MessageRow = Omit<SupplierMessageModel, 'attachments'> & {
  attachments: { id: string; filename: string; contentType: string; sizeBytes: number }[];
};

/** Supplier emails on orders, for the coordinators: list them, decide held ones, download attachments. */
@Injectable()
export class SupplierMessagesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly inbox: SupplierInbox,
  ) {}

  /** The order's messages, oldest first. */
  async forOrder(orderId: string): Promise<SupplierMessageModel[]> {
    const rows: MessageRow[] = await this.dataSource.query(
      `SELECT ${MESSAGE_COLUMNS} FROM supplier_message m JOIN supplier_contact c ON c.id = m.contact_id
        WHERE m.order_id = $1 ORDER BY m.arrival`,
      [orderId],
    );
    return rows.map(toModel);
  }

  async byId(id: string): Promise<SupplierMessageModel> {
    const rows: MessageRow[] = await this.dataSource.query(
      `SELECT ${MESSAGE_COLUMNS} FROM supplier_message m JOIN supplier_contact c ON c.id = m.contact_id
        WHERE m.id = $1`,
      [id],
    );
    const row = rows[0];
    if (!row) throw notFound('Supplier message', id);
    return toModel(row);
  }

  /** Accepts a held message as the recipient's (see SupplierInbox.acceptHeld). */
  async accept(id: string, coordinator: string): Promise<SupplierMessageModel> {
    await this.inbox.acceptHeld(id, coordinator);
    return this.byId(id);
  }

  /** Discards a held message (see SupplierInbox.discardHeld). */
  async discard(id: string, coordinator: string): Promise<SupplierMessageModel> {
    await this.inbox.discardHeld(id, coordinator);
    return this.byId(id);
  }

  /** One attachment's file. NOT_FOUND for an unknown id. */
  async attachment(id: string): Promise<{ filename: string; contentType: string; content: Buffer }> {
    const rows: { filename: string; contentType: string; content: Buffer }[] = await this.dataSource.query(
      'SELECT filename, content_type AS "contentType", content FROM supplier_message_attachment WHERE id = $1',
      [id],
    );
    const row = rows[0];
    if (!row) throw notFound('Attachment', id);
    return row;
  }
}

function toModel(row: MessageRow): SupplierMessageModel {
  return {
    ...row,
    attachments: row.attachments.map((attachment) => ({
      ...attachment,
      downloadPath: attachmentPath(attachment.id),
    })),
  };
}
