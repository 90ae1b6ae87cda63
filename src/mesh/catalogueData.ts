import { createPrng, type Prng } from './prng.ts';

/** One sock as catalogue-db stores it (Sock Shop's catalogue record). */
export interface Sock {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly imageUrl: readonly string[];
  readonly price: number;
  readonly count: number;
  readonly tag: readonly string[];
}

export const SOCK_TAGS: readonly string[] = ['brown', 'geek', 'formal', 'blue', 'skin', 'red', 'action', 'sport', 'black', 'magic', 'green'];

const ADJECTIVES = ['Weave', 'Nerd', 'Crossed', 'Holy', 'Figueroa', 'Classic', 'Colourful', 'SuperSport', 'Cat', 'Midnight', 'Argyle', 'Striped', 'Woolly', 'Bamboo', 'Merino', 'Lucky', 'Rainbow', 'Arctic'];
const NOUNS = ['special', 'leg', 'socks', 'XL', 'trainers', 'ankle', 'crew', 'knee-highs', 'loafers', 'runners', 'dress socks', 'hikers'];
const CLAUSES = [
  'Keep it simple.',
  'Ready for action. Engineers: be ready to smash that next bug!',
  'A mature sock, crossed, with an air of nonchalance.',
  'Socks fit for a Messiah. You too can experience walking in water with these special edition beauties.',
  'Enough sizes to make a brave man blush: these are made from recycled threads and a little bit of hope.',
  'Our thickest heel yet, with a reinforced toe for long days on cold floors.',
  'Breathable mesh panels keep your feet cool on the track and off it.',
  'Soft combed cotton with a hand-linked seam that will not rub.',
  'Machine washable at forty degrees, tumble dry low, never iron the pattern.',
  'Designed in Dublin, knitted in Porto, worn everywhere.',
];

function uuid(prng: Prng): string {
  const h = (n: number) => prng.chars(n, '0123456789abcdef');
  return `${h(8)}-${h(4)}-4${h(3)}-${prng.pick(['8', '9', 'a', 'b'])}${h(3)}-${h(12)}`;
}

function sock(prng: Prng, index: number): Sock {
  const name = `${prng.pick(ADJECTIVES)} ${prng.pick(NOUNS)}${index >= ADJECTIVES.length ? ` ${index}` : ''}`;
  const sentences = prng.int(3, 6);
  const description: string[] = [];
  for (let i = 0; i < sentences; i++) description.push(prng.pick(CLAUSES));
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '_');
  const tags = new Set<string>();
  const tagCount = prng.int(1, 3);
  while (tags.size < tagCount) tags.add(prng.pick(SOCK_TAGS));
  return {
    id: uuid(prng),
    name,
    description: description.join(' '),
    imageUrl: [`/catalogue/images/${slug}.jpg`, `/catalogue/images/${slug}_2.jpg`],
    price: prng.int(499, 9999) / 100,
    count: prng.int(0, 900),
    tag: [...tags],
  };
}

/** `count` socks, the same for the same seed. */
export function generateSocks(count: number, seed: number): Sock[] {
  const prng = createPrng(seed ^ 0x50c5);
  return Array.from({ length: count }, (_, i) => sock(prng, i));
}
