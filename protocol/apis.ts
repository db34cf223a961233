/**
 * The objects of the client that operations become methods of, in the order
 * the client lists them. `base` is the handwritten class in runtime/api-base.ts
 * that holds the object's methods built on its operations (`watch`, `iterate`,
 * `bucket()`); `boundIn` makes an object that its parent opens with a name
 * (`client.store.bucket(name)`), whose methods send that name as the request
 * field of the object's own name and whose records are typed `T`.
 */
export interface ApiSpec {
  /** One line for the class's doc comment. */
  readonly doc: string;
  readonly base?: 'StoreBase' | 'BucketBase' | 'RulesBase';
  readonly boundIn?: string;
}

export const apis = {
  store: {
    doc: 'Buckets, reactive queries, transactions and store administration.',
    base: 'StoreBase',
  },
  bucket: {
    doc: 'The operations on one bucket, with its name bound.',
    base: 'BucketBase',
    boundIn: 'store',
  },
  rules: {
    doc: 'The rules engine: events, facts, rule subscriptions and rule administration.',
    base: 'RulesBase',
  },
  auth: { doc: 'Token sessions.' },
  identity: { doc: 'Built-in identity: sessions, users, roles, ACL and ownership.' },
  procedures: { doc: 'Server-side procedures.' },
  audit: { doc: 'The audit log.' },
  server: { doc: 'Server statistics and connections.' },
} as const satisfies Readonly<Record<string, ApiSpec>>;
