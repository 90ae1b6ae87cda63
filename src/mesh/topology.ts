// The shape of Weave Sock Shop: its workloads, who calls whom, and what each speaks.

/** Every workload of the embedded mesh, in a stable order (run.json `services`). */
export const SOCK_SHOP_WORKLOADS: readonly string[] = Object.freeze([
  'front-end',
  'catalogue',
  'catalogue-db',
  'carts',
  'carts-db',
  'orders',
  'orders-db',
  'payment',
  'shipping',
  'queue-master',
  'rabbitmq',
  'user',
  'user-db',
  'session-db',
]);

/** Legitimate caller → callee edges (workload → service; service names equal workload names). */
export const SOCK_SHOP_EDGES: readonly { readonly src: string; readonly dst: string }[] = Object.freeze(
  (
    [
      ['front-end', 'catalogue'],
      ['front-end', 'carts'],
      ['front-end', 'orders'],
      ['front-end', 'user'],
      ['front-end', 'session-db'],
      ['orders', 'carts'],
      ['orders', 'user'],
      ['orders', 'payment'],
      ['orders', 'shipping'],
      ['orders', 'orders-db'],
      ['shipping', 'rabbitmq'],
      // queue-master is rabbitmq's consumer, i.e. its TCP client.
      ['queue-master', 'rabbitmq'],
      ['carts', 'carts-db'],
      ['catalogue', 'catalogue-db'],
      ['user', 'user-db'],
    ] as const
  ).map(([src, dst]) => Object.freeze({ src, dst })),
);

/** Each service that owns a data store, with the store and the collections holding its records. */
export const DATA_STORE_OF: Readonly<Record<string, { readonly store: string; readonly collections: readonly string[] }>> = Object.freeze({
  user: { store: 'user-db', collections: ['customers', 'addresses', 'cards'] },
  carts: { store: 'carts-db', collections: ['items'] },
  orders: { store: 'orders-db', collections: ['orders'] },
  catalogue: { store: 'catalogue-db', collections: ['socks'] },
});

/** Services `src` may call, per the topology. */
export function destinationsOf(src: string): ReadonlySet<string> {
  return new Set(SOCK_SHOP_EDGES.filter((e) => e.src === src).map((e) => e.dst));
}
