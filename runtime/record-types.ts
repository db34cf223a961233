import type { InsertOf, IsAppBucket, RecordOf, UpdateOf } from './app-schema.js';

/**
 * The types of a bucket's records, as typed buckets and their methods use
 * them. `T` is the record type, or a generated app's bucket (`AppBucket`),
 * which says its stored record, what `insert` takes and what `update` takes.
 */

/** The metadata the server adds to every stored record. */
export interface RecordMeta {
  /** 1 on insert, one higher on every update. */
  _version: number;
  /** When the record was inserted, in ms since the epoch. */
  _createdAt: number;
  /** When the record was last written, in ms since the epoch. */
  _updatedAt: number;
  /** Only in buckets with a TTL. */
  _expiresAt?: number;
}

/**
 * A stored record of a bucket whose records are `T`, with the server's metadata.
 * Buckets keyed by a generated `id` (the usual case) return it; declare the key
 * field in `T` for a bucket keyed otherwise.
 */
export type BucketRecord<T> =
  IsAppBucket<T> extends true
    ? RecordOf<T> & RecordMeta
    : T & RecordMeta & ('id' extends keyof T ? unknown : { id: string });

/** What `insert` takes: `T`, where generated fields such as `id` may be left out. */
export type NewRecord<T> =
  IsAppBucket<T> extends true
    ? InsertOf<T>
    : Omit<T, keyof RecordMeta | 'id'> & Partial<Pick<T, Extract<keyof T, 'id'>>>;

/** What `update` takes: any subset of `T`'s fields. */
export type RecordUpdate<T> =
  IsAppBucket<T> extends true ? UpdateOf<T> : Partial<Omit<T, keyof RecordMeta>>;

/** What a filter can ask of one field. */
export interface FieldOperators<V> {
  /** Equal to. */
  $eq?: V;
  /** Not equal to. */
  $neq?: V;
  /** Greater than. */
  $gt?: V;
  /** Greater than or equal to. */
  $gte?: V;
  /** Less than. */
  $lt?: V;
  /** Less than or equal to. */
  $lte?: V;
  /** One of these. */
  $in?: V[];
  /** None of these. */
  $nin?: V[];
  /** Case-insensitive substring. */
  $contains?: string;
  /** Starts with this text. */
  $startsWith?: string;
  /** Ends with this text. */
  $endsWith?: string;
  /** The field is present (true) or absent (false). */
  $exists?: boolean;
  /** Between the two values, both included. */
  $between?: [V, V];
}

/** `{field: value}` for equality, operator objects, and `$or` / `$and` (an app bucket's metadata too). */
export type RecordFilter<T> =
  IsAppBucket<T> extends true ? FieldFilter<RecordOf<T> & RecordMeta> : FieldFilter<T>;

/** A filter of records `T`: per field a value or operators, and `$or` / `$and` of filters. */
export type FieldFilter<T> = {
  [K in keyof T]?: T[K] | FieldOperators<T[K]>;
} & { $or?: FieldFilter<T>[]; $and?: FieldFilter<T>[] };

/** A field of `T` that holds numbers (any field name for untyped buckets). */
export type NumericField<T> = NumericOf<RecordOf<T>>;

/** The fields of record `R` that hold numbers (any name when `R` has string keys). */
export type NumericOf<R> = string extends keyof R
  ? string
  : { [K in keyof R]-?: NonNullable<R[K]> extends number ? K : never }[keyof R] & string;

/** One page of a bucket's records. */
export interface BucketPage<T> {
  /** The records of this page. */
  records: BucketRecord<T>[];
  /** Whether records follow this page. */
  hasMore: boolean;
  /** The key of the last record; pass it as `after` for the next page. */
  nextCursor?: unknown;
}
