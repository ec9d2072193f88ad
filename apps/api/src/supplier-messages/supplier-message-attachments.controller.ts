import { Controller, Get, Param, Res, UseFilters } from '@nestjs/common';
import { isUuid, notFound } from '@snitflow/common';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/current-user.js';
import { HttpDomainErrorFilter } from './http-error.filter.js';
import { SupplierMessagesService } from './supplier-messages.service.js';

/**
 * Downloads a supplier message's attachment: coordinators and admins, with the same bearer
 * token as GraphQL. Always as a download (Content-Disposition: attachment) and never sniffed,
 * so a file from outside cannot run as a page of ours.
 */
@Controller('supplier-messages/attachments')
@UseFilters(HttpDomainErrorFilter)
export class SupplierMessageAttachmentsController {
  constructor(private readonly messages: SupplierMessagesService) {}

  @Roles('coordinator', 'admin')
  @Get(':id')
  async download(@Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    if (!isUuid(id)) throw notFound('Attachment', id);
    const file = await this.messages.attachment(id);
    const ascii = file.filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
    await reply
      .header(
        'content-type',
        /^[\w.+-]+\/[\w.+-]+$/.test(file.contentType) ? file.contentType : 'application/octet-stream',
      )
      .header(
        'content-disposition',
        `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
      )
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'private, no-store')
      .send(file.content);
  }
}
