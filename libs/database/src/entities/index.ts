import { DataElementEntity } from './data-element.entity.js';
import { InterfaceEntity } from './interface.entity.js';
import { InterfaceOrderEntity } from './interface-order.entity.js';
import { InterfaceRequestEntity } from './interface-request.entity.js';
import { OrderEventEntity } from './order-event.entity.js';
import { PlaybookMarkEntity } from './playbook-mark.entity.js';
import { ProjectEntity } from './project.entity.js';
import { SourceSupplierEntity } from './source-supplier.entity.js';
import { SupplierContactEntity } from './supplier-contact.entity.js';

export type { RequestFirmness } from './interface-request.entity.js';
export type { PlaybookMark } from './playbook-mark.entity.js';
export type { ContactLanguage } from './supplier-contact.entity.js';
export {
  DataElementEntity,
  InterfaceEntity,
  InterfaceOrderEntity,
  InterfaceRequestEntity,
  OrderEventEntity,
  PlaybookMarkEntity,
  ProjectEntity,
  SourceSupplierEntity,
  SupplierContactEntity,
};

export const ENTITIES = [
  SourceSupplierEntity,
  SupplierContactEntity,
  ProjectEntity,
  InterfaceEntity,
  DataElementEntity,
  PlaybookMarkEntity,
  InterfaceOrderEntity,
  InterfaceRequestEntity,
  OrderEventEntity,
];
