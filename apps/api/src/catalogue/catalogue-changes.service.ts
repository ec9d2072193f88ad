import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AuthenticatedUser } from '@snitflow/auth';
import { CatalogueInputError, parseDataElementCode, parseInterfaceKey } from '@snitflow/catalogue';
import {
  assertUuid,
  badInput,
  CLOCK,
  type Clock,
  ErrorCode,
  notFound,
  SnitflowError,
} from '@snitflow/common';
import {
  type ContactLanguage,
  InterfaceEntity,
  reflagUndecidedRequests,
  SupplierContactEntity,
} from '@snitflow/database';
import { DataSource, type EntityManager } from 'typeorm';
import type {
  AddSupplierContactInput,
  DataElementInput,
  UpdateSupplierContactInput,
} from './catalogue.inputs.js';

export type CatalogueEventKind =
  | 'SUPPLIER_CONTACT_ADDED'
  | 'SUPPLIER_CONTACT_CHANGED'
  | 'SUPPLIER_CONTACT_REMOVED'
  | 'DATA_ELEMENT_ADDED'
  | 'DATA_ELEMENT_CHANGED'
  | 'DATA_ELEMENT_REMOVED'
  | 'INTERFACE_MATRIX_IMPORTED';

export interface CatalogueEventRow {
  id: string;
  kind: CatalogueEventKind;
  subject: string;
  supplierId: string | null;
  interfaceId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  actorId: string;
  actorRole: string;
  actorName: string | null;
  occurredAt: Date;
}

/** Longest contact or data element name accepted (they go into email tables and subjects). */
export const CATALOGUE_NAME_MAX_LENGTH = 200;
/** RFC 5321's limit on a forward path. */
const EMAIL_MAX_LENGTH = 254;
// Deliberately simple: one @, no spaces or angle brackets; the mail server is the real judge.
const EMAIL = /^[^\s@<>"',;]+@[^\s@<>"',;]+\.[^\s@<>"',;]+$/;

/**
 * Writes an audit row of the catalogue in the caller's transaction, so a change and its record
 * commit together (the house rule for transitions, applied to the catalogue).
 */
export async function recordCatalogueEvent(
  tx: EntityManager,
  user: AuthenticatedUser,
  occurredAt: Date,
  event: {
    kind: CatalogueEventKind;
    subject: string;
    supplierId?: string | null;
    interfaceId?: string | null;
    before?: Record<string, unknown> | null;
    after?: Record<string, unknown> | null;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO catalogue_event (kind, subject, supplier_id, interface_id, before, after, actor_id, actor_role, actor_name, occurred_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      event.kind,
      event.subject,
      event.supplierId ?? null,
      event.interfaceId ?? null,
      event.before ? JSON.stringify(event.before) : null,
      event.after ? JSON.stringify(event.after) : null,
      user.subject,
      user.role,
      user.name ?? null,
      occurredAt,
    ],
  );
}

/**
 * Runs each check and collects every refusal, so one answer names every bad field by its full
 * argument path (e.g. `input.email`), as the API does everywhere.
 */
function validated<T extends unknown[]>(...checks: { [K in keyof T]: () => T[K] }): T {
  const fields: string[] = [];
  const messages: string[] = [];
  const values = checks.map((check) => {
    try {
      return check();
    } catch (error) {
      if (!(error instanceof SnitflowError) || error.code !== ErrorCode.BAD_USER_INPUT) throw error;
      const named = error.details.fields;
      fields.push(...(Array.isArray(named) ? named : []));
      messages.push(error.message);
      return undefined;
    }
  });
  if (messages.length > 0) throw badInput(messages.join('; '), { field: fields[0] ?? null, fields });
  return values as T;
}

/**
 * What coordinators change in the catalogue by hand: supplier contacts (who receives the order
 * emails) and the data elements an interface offers (what requests are checked against). Every
 * change is validated, written with its catalogue_event in one transaction, and refused with
 * BAD_USER_INPUT (with the field) or NOT_FOUND without writing anything.
 */
@Injectable()
export class CatalogueChangesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Adds a contact to a supplier. Errors: NOT_FOUND (supplier), BAD_USER_INPUT (name, email, a current contact's email). */
  async addContact(user: AuthenticatedUser, input: AddSupplierContactInput): Promise<SupplierContactEntity> {
    const [supplierId, name, email] = validated<[string, string, string]>(
      () => assertUuid(String(input.supplierId), 'input.supplierId'),
      () => this.name(input.name, 'input.name'),
      () => this.email(input.email, 'input.email'),
    );
    return this.dataSource.transaction(async (tx) => {
      const supplier: { id: string }[] = await tx.query(
        'SELECT id FROM source_supplier WHERE id = $1 FOR UPDATE',
        [supplierId],
      );
      if (!supplier[0]) throw notFound('Supplier', supplierId);
      await this.emailFree(tx, supplierId, email, null);
      const rows: { id: string }[] = await tx.query(
        'INSERT INTO supplier_contact (supplier_id, name, email, language) VALUES ($1, $2, $3, $4) RETURNING id',
        [supplierId, name, email, input.language],
      );
      const contact = await tx
        .getRepository(SupplierContactEntity)
        .findOneByOrFail({ id: rows[0]?.id ?? '' });
      await recordCatalogueEvent(tx, user, this.clock.now(), {
        kind: 'SUPPLIER_CONTACT_ADDED',
        subject: email,
        supplierId,
        after: contactView(contact),
      });
      return contact;
    });
  }

  /** Changes a contact's name, email or language. Errors: NOT_FOUND (contact, also a removed one), BAD_USER_INPUT. */
  async updateContact(
    user: AuthenticatedUser,
    input: UpdateSupplierContactInput,
  ): Promise<SupplierContactEntity> {
    const [contactId, name, email] = validated<[string, string | null, string | null]>(
      () => assertUuid(String(input.contactId), 'input.contactId'),
      () => (input.name == null ? null : this.name(input.name, 'input.name')),
      () => (input.email == null ? null : this.email(input.email, 'input.email')),
    );
    return this.dataSource.transaction(async (tx) => {
      const before = await this.currentContact(tx, contactId);
      if (email !== null && email !== before.email)
        await this.emailFree(tx, before.supplierId, email, contactId);
      const after = {
        name: name ?? before.name,
        email: email ?? before.email,
        language: (input.language ?? before.language) as ContactLanguage,
      };
      if (after.name === before.name && after.email === before.email && after.language === before.language)
        return before;
      await tx.query('UPDATE supplier_contact SET name = $2, email = $3, language = $4 WHERE id = $1', [
        contactId,
        after.name,
        after.email,
        after.language,
      ]);
      const contact = await tx.getRepository(SupplierContactEntity).findOneByOrFail({ id: contactId });
      await recordCatalogueEvent(tx, user, this.clock.now(), {
        kind: 'SUPPLIER_CONTACT_CHANGED',
        subject: contact.email,
        supplierId: contact.supplierId,
        before: contactView(before),
        after: contactView(contact),
      });
      return contact;
    });
  }

  /**
   * Removes a contact: no new round or reminder goes to it; links it was already sent keep
   * answering (the order waits for that answer). Errors: NOT_FOUND (unknown or already removed).
   */
  async removeContact(user: AuthenticatedUser, contactIdInput: string): Promise<SupplierContactEntity> {
    const contactId = assertUuid(String(contactIdInput), 'contactId');
    return this.dataSource.transaction(async (tx) => {
      const before = await this.currentContact(tx, contactId);
      await tx.query('UPDATE supplier_contact SET removed_at = $2 WHERE id = $1', [
        contactId,
        this.clock.now(),
      ]);
      const contact = await tx.getRepository(SupplierContactEntity).findOneByOrFail({ id: contactId });
      await recordCatalogueEvent(tx, user, this.clock.now(), {
        kind: 'SUPPLIER_CONTACT_REMOVED',
        subject: before.email,
        supplierId: before.supplierId,
        before: contactView(before),
      });
      return contact;
    });
  }

  /** Adds a data element to an interface. Errors: NOT_FOUND (interface), BAD_USER_INPUT (code, name, a code it has). */
  addDataElement(user: AuthenticatedUser, input: DataElementInput): Promise<InterfaceEntity> {
    const [key, code, name] = validated<[string, string, string]>(
      () => this.key(input.interfaceKey, 'input.interfaceKey'),
      () => this.code(input.code, 'input.code'),
      () => this.name(input.name, 'input.name'),
    );
    return this.onInterface(key, async (tx, iface) => {
      const existing: { code: string }[] = await tx.query(
        'SELECT code FROM data_element WHERE interface_id = $1 AND code = $2',
        [iface.id, code],
      );
      if (existing[0])
        throw badInput(`${iface.key} already offers ${code}; change its name instead`, {
          field: 'input.code',
        });
      await tx.query('INSERT INTO data_element (interface_id, code, name) VALUES ($1, $2, $3)', [
        iface.id,
        code,
        name,
      ]);
      const reflagged = await reflagUndecidedRequests(tx, iface.id);
      await recordCatalogueEvent(tx, user, this.clock.now(), {
        kind: 'DATA_ELEMENT_ADDED',
        subject: `${iface.key} ${code}`,
        interfaceId: iface.id,
        after: { code, name, requestsReflagged: reflagged },
      });
    });
  }

  /** Renames a data element (its code stays: requests refer to it). Errors: NOT_FOUND (interface or element), BAD_USER_INPUT. */
  updateDataElement(user: AuthenticatedUser, input: DataElementInput): Promise<InterfaceEntity> {
    const [key, code, name] = validated<[string, string, string]>(
      () => this.key(input.interfaceKey, 'input.interfaceKey'),
      () => this.code(input.code, 'input.code'),
      () => this.name(input.name, 'input.name'),
    );
    return this.onInterface(key, async (tx, iface) => {
      const before = await this.element(tx, iface, code);
      if (before.name === name) return;
      await tx.query('UPDATE data_element SET name = $3 WHERE interface_id = $1 AND code = $2', [
        iface.id,
        code,
        name,
      ]);
      await recordCatalogueEvent(tx, user, this.clock.now(), {
        kind: 'DATA_ELEMENT_CHANGED',
        subject: `${iface.key} ${code}`,
        interfaceId: iface.id,
        before: { code, name: before.name },
        after: { code, name },
      });
    });
  }

  /**
   * Removes a data element: undecided requests that ask for it are flagged again (they cannot be
   * approved until changed); decided requests and orders keep what they agreed. Errors: NOT_FOUND.
   */
  removeDataElement(
    user: AuthenticatedUser,
    interfaceKey: string,
    codeInput: string,
  ): Promise<InterfaceEntity> {
    const [key, code] = validated<[string, string]>(
      () => this.key(interfaceKey, 'interfaceKey'),
      () => this.code(codeInput, 'code'),
    );
    return this.onInterface(key, async (tx, iface) => {
      const before = await this.element(tx, iface, code);
      await tx.query('DELETE FROM data_element WHERE interface_id = $1 AND code = $2', [iface.id, code]);
      const reflagged = await reflagUndecidedRequests(tx, iface.id);
      await recordCatalogueEvent(tx, user, this.clock.now(), {
        kind: 'DATA_ELEMENT_REMOVED',
        subject: `${iface.key} ${code}`,
        interfaceId: iface.id,
        before: { code, name: before.name },
        after: { requestsReflagged: reflagged },
      });
    });
  }

  /** The newest catalogue changes first; `first` 1–100. */
  async history(firstInput: number): Promise<CatalogueEventRow[]> {
    if (!Number.isInteger(firstInput) || firstInput < 1 || firstInput > 100)
      throw badInput('first must be 1–100', { field: 'first' });
    return this.dataSource.query(
      `SELECT id::text, kind, subject, supplier_id AS "supplierId", interface_id AS "interfaceId", before, after,
              actor_id AS "actorId", actor_role AS "actorRole", actor_name AS "actorName", occurred_at AS "occurredAt"
         FROM catalogue_event ORDER BY occurred_at DESC, id DESC LIMIT $1`,
      [firstInput],
    );
  }

  // -------------------------------------------------------------------------------------------

  private async onInterface(
    key: string,
    change: (tx: EntityManager, iface: InterfaceEntity) => Promise<void>,
  ): Promise<InterfaceEntity> {
    return this.dataSource.transaction(async (tx) => {
      // Locked, so two coordinators editing one interface's elements apply one after the other.
      const rows: { id: string }[] = await tx.query('SELECT id FROM interface WHERE key = $1 FOR UPDATE', [
        key,
      ]);
      if (!rows[0]) throw notFound('Interface', key);
      const iface = await tx.getRepository(InterfaceEntity).findOneByOrFail({ id: rows[0].id });
      await change(tx, iface);
      return iface;
    });
  }

  private async element(tx: EntityManager, iface: InterfaceEntity, code: string): Promise<{ name: string }> {
    const rows: { name: string }[] = await tx.query(
      'SELECT name FROM data_element WHERE interface_id = $1 AND code = $2 FOR UPDATE',
      [iface.id, code],
    );
    if (!rows[0]) throw notFound('Data element', `${iface.key} ${code}`);
    return rows[0];
  }

  private async currentContact(tx: EntityManager, contactId: string): Promise<SupplierContactEntity> {
    const rows: { id: string }[] = await tx.query(
      'SELECT id FROM supplier_contact WHERE id = $1 AND removed_at IS NULL FOR UPDATE',
      [contactId],
    );
    if (!rows[0]) throw notFound('Supplier contact', contactId);
    return tx.getRepository(SupplierContactEntity).findOneByOrFail({ id: contactId });
  }

  private async emailFree(tx: EntityManager, supplierId: string, email: string, exceptId: string | null) {
    // Both mutations take the address as input.email.
    const rows: { id: string }[] = await tx.query(
      'SELECT id FROM supplier_contact WHERE supplier_id = $1 AND email = $2 AND removed_at IS NULL AND id IS DISTINCT FROM $3',
      [supplierId, email, exceptId],
    );
    if (rows[0]) throw badInput(`${email} is already a contact of this supplier`, { field: 'input.email' });
  }

  private name(value: unknown, field: string): string {
    const text = typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() : '';
    if (text === '') throw badInput(`${field} must not be empty`, { field });
    if ([...text].length > CATALOGUE_NAME_MAX_LENGTH)
      throw badInput(`${field} is longer than ${CATALOGUE_NAME_MAX_LENGTH} characters`, { field });
    // Control characters break mail headers and tables (and Postgres refuses NUL).
    if (/[\p{Cc}]/u.test(text)) throw badInput(`${field} contains control characters`, { field });
    return text;
  }

  private key(value: unknown, field: string): string {
    try {
      return parseInterfaceKey(typeof value === 'string' ? value.trim() : String(value));
    } catch (error) {
      if (error instanceof CatalogueInputError) throw badInput(error.message, { field });
      throw error;
    }
  }

  private email(value: unknown, field: string): string {
    // Addresses are compared and stored lower-cased, so one person is not a contact twice.
    const email = typeof value === 'string' ? value.trim().toLowerCase() : '';
    if (email.length > EMAIL_MAX_LENGTH || !EMAIL.test(email) || /\p{Cc}/u.test(email))
      throw badInput('email must be an email address like navn@leverandor.dk', { field });
    return email;
  }

  private code(value: unknown, field: string): string {
    try {
      return parseDataElementCode(typeof value === 'string' ? value.trim() : String(value), field);
    } catch (error) {
      if (error instanceof CatalogueInputError) throw badInput(error.message, { field });
      throw error;
    }
  }
}

function contactView(
  contact: Pick<SupplierContactEntity, 'name' | 'email' | 'language'>,
): Record<string, unknown> {
  return { name: contact.name, email: contact.email, language: contact.language };
}
