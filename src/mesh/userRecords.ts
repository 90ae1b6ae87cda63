import type { AddressRecord, CardRecord, CustomerRecord } from './customerData.ts';
import type { Doc } from './DocumentStore.ts';
import { pageBlock } from './paging.ts';

// How Sock Shop's user service presents its records: Spring HATEOAS documents with links,
// lists under `_embedded`. The password hash and salt never leave the service.

const href = (path: string) => ({ href: `http://user/${path}` });

export type CustomerDoc = CustomerRecord & Doc;
export type AddressDoc = AddressRecord & Doc;
export type CardDoc = CardRecord & Doc;

export function customerOut(c: CustomerDoc): Record<string, unknown> {
  const { salt: _salt, password: _password, ...visible } = c;
  return {
    ...visible,
    _links: {
      addresses: href(`customers/${c.id}/addresses`),
      cards: href(`customers/${c.id}/cards`),
      customer: href(`customers/${c.id}`),
      self: href(`customers/${c.id}`),
    },
  };
}

export function addressOut(a: AddressDoc): Record<string, unknown> {
  return { ...a, _links: { address: href(`addresses/${a.id}`), self: href(`addresses/${a.id}`) } };
}

export function cardOut(c: CardDoc): Record<string, unknown> {
  return { ...c, _links: { card: href(`cards/${c.id}`), self: href(`cards/${c.id}`) } };
}

/** A list response: `{_embedded: {<kind>: [...]}, page: {...}}`. */
export function embedded(kind: string, items: readonly unknown[], page?: { page: number; size: number | undefined; total: number }): Record<string, unknown> {
  return { _embedded: { [kind]: items }, ...(page ? { page: pageBlock(page.page, page.size, page.total) } : {}) };
}

/** The collection, list key and presenter for each kind of user record. */
export const USER_KINDS = {
  customers: { collection: 'customers', key: 'customer', out: (d: Doc) => customerOut(d as CustomerDoc) },
  addresses: { collection: 'addresses', key: 'address', out: (d: Doc) => addressOut(d as AddressDoc) },
  cards: { collection: 'cards', key: 'card', out: (d: Doc) => cardOut(d as CardDoc) },
} as const;
