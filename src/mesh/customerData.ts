import { createHash } from 'node:crypto';
import { createPrng, objectId, type Prng } from './prng.ts';

// Customers as Munnin's pop_db created them through Sock Shop's API: each with one address
// and one card. Stored the way user-db keeps them (password salted and hashed).

export interface CustomerRecord {
  readonly id: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly username: string;
  readonly email: string;
  readonly phone: string;
  readonly salt: string;
  readonly password: string;
}

export interface AddressRecord {
  readonly id: string;
  readonly customerId: string;
  readonly number: string;
  readonly street: string;
  readonly city: string;
  readonly postcode: string;
  readonly country: string;
}

export interface CardRecord {
  readonly id: string;
  readonly customerId: string;
  readonly longNum: string;
  readonly expires: string;
  readonly ccv: string;
}

/** The password every seeded customer has (as Sock Shop's own seed user `user` / `password`). */
export const SEEDED_PASSWORD = 'password';

const FIRST = ['Eve', 'Liam', 'Olivia', 'Noah', 'Emma', 'Oliver', 'Ava', 'Elijah', 'Sophia', 'Lucas', 'Mia', 'Mateo', 'Amelia', 'Levi', 'Harper', 'Ezra', 'Aoife', 'Sean', 'Priya', 'Arjun', 'Yuki', 'Hiroshi', 'Fatima', 'Omar', 'Ingrid', 'Lars', 'Chiara', 'Marco', 'Zanele', 'Thabo'];
const LAST = ['Berger', 'Murphy', 'Kelly', 'Smith', 'Garcia', 'Nguyen', 'Kowalski', 'Rossi', 'Schmidt', 'Johansson', 'Patel', 'Okafor', 'Tanaka', 'Silva', 'Dubois', 'Novak', 'Byrne', 'Walsh', 'Haddad', 'Larsen', 'Moreau', 'Costa', 'Yilmaz', 'Ivanova', 'Mensah'];
const STREETS = ['Whitelees Road', 'Abbey Street', 'Harcourt Terrace', 'Rue de Rivoli', 'Calle Mayor', 'Hauptstrasse', 'Main Street', 'Elm Avenue', 'Quay Lane', 'Station Road', 'Market Square', 'Church Hill'];
const PLACES = [
  ['Glasgow', 'United Kingdom'],
  ['Dublin', 'Ireland'],
  ['Paris', 'France'],
  ['Madrid', 'Spain'],
  ['Berlin', 'Germany'],
  ['Lisbon', 'Portugal'],
  ['Boston', 'United States'],
  ['Toronto', 'Canada'],
  ['Osaka', 'Japan'],
  ['Cape Town', 'South Africa'],
] as const;

export function hashPassword(salt: string, password: string): string {
  return createHash('sha256').update(salt).update(password).digest('hex');
}

function customer(prng: Prng, index: number): CustomerRecord {
  const firstName = prng.pick(FIRST);
  const lastName = prng.pick(LAST);
  const username = index === 0 ? 'user' : `${firstName}_${lastName}${index}`;
  const salt = prng.chars(40, '0123456789abcdef');
  return {
    id: objectId(prng),
    firstName,
    lastName,
    username,
    email: `${firstName}.${lastName}${index}@${prng.pick(['example.com', 'mail.example.org', 'post.example.net'])}`.toLowerCase(),
    phone: `+${prng.int(1, 99)} ${prng.chars(3, '0123456789')} ${prng.chars(7, '0123456789')}`,
    salt,
    password: hashPassword(salt, SEEDED_PASSWORD),
  };
}

/** `count` customers, each with an address and a card, the same for the same seed. */
export function generateCustomers(count: number, seed: number): { customers: CustomerRecord[]; addresses: AddressRecord[]; cards: CardRecord[] } {
  const prng = createPrng(seed ^ 0xc057);
  const customers: CustomerRecord[] = [];
  const addresses: AddressRecord[] = [];
  const cards: CardRecord[] = [];
  for (let i = 0; i < count; i++) {
    const c = customer(prng, i);
    customers.push(c);
    const [city, country] = prng.pick(PLACES);
    addresses.push({
      id: objectId(prng),
      customerId: c.id,
      number: String(prng.int(1, 250)),
      street: prng.pick(STREETS),
      city,
      postcode: `${prng.chars(2, 'ABCDEFGHJKLMNPRSTUVWXY')}${prng.int(1, 99)} ${prng.int(1, 9)}${prng.chars(2, 'ABDEFGHJLNPQRSTUWXYZ')}`,
      country,
    });
    cards.push({
      id: objectId(prng),
      customerId: c.id,
      longNum: `${prng.pick(['4', '5'])}${prng.chars(15, '0123456789')}`,
      expires: `${String(prng.int(1, 12)).padStart(2, '0')}/${prng.int(27, 33)}`,
      ccv: prng.chars(3, '0123456789'),
    });
  }
  return { customers, addresses, cards };
}
