import Type, { type TLiteral, type TProperties, type TSchema } from 'typebox';

/**
 * Schemas shared by several operations. A schema with an `$id` becomes a named
 * type in generated/types.ts. One with `typedAs` too is, in the methods of a
 * bucket, the runtime's type of that name for the bucket's record type `T`
 * (`StoreRecord` → `BucketRecord<T>`).
 */

/** A request payload: the listed fields and no others, so a misspelt option is caught. */
export function payload<const P extends TProperties>(
  properties: P,
  options: { $id?: string } = {},
) {
  return Type.Object(properties, { ...options, additionalProperties: false });
}

/** A field that carries a credential: never logged, listed in the operation's `secret` effect. */
export function Secret<const T extends TSchema>(schema: T) {
  return Type.With(schema, { secret: true });
}

/** The schema with a description: shown in the types, the method docs and the CLI's help. */
export function described<const T extends TSchema>(schema: T, description: string) {
  return Type.With(schema, { description });
}

/** One of these strings (typed as one literal of their union, which TypeBox reads as that union). */
export function OneOf<const V extends string>(...values: V[]) {
  return Type.Union(values.map((value) => Type.Literal(value)) as unknown as [TLiteral<V>]);
}

export const NonEmptyString = Type.String({ minLength: 1 });
export const PositiveInteger = Type.Integer({ minimum: 1 });
export const Timestamp = Type.Number({ description: 'Milliseconds since the Unix epoch' });
export const JsonObject = Type.Record(Type.String(), Type.Unknown(), {
  $id: 'JsonObject',
  description: 'Any JSON object',
});
export const SubscriptionId = described(NonEmptyString, 'The id the server gave the subscription');

export const StoreKey = Type.Union(
  [
    Type.String(),
    Type.Number(),
    Type.Boolean(),
    Type.Array(Type.Unknown()),
    Type.Record(Type.String(), Type.Unknown()),
  ],
  {
    $id: 'StoreKey',
    description:
      'A record key: any JSON value but null. Keys are type-sensitive (`1` and `"1"` differ).',
  },
);

export const StoreRecord = Type.Object(
  {
    _version: Type.Integer(),
    _createdAt: Timestamp,
    _updatedAt: Timestamp,
    _expiresAt: Type.Optional(Timestamp),
  },
  {
    $id: 'StoreRecord',
    description: "A stored record: the user's fields, its key field, and the server's metadata.",
    typedAs: 'BucketRecord',
    additionalProperties: true,
  },
);

export const RecordInput = Type.Record(Type.String(), Type.Unknown(), {
  $id: 'RecordInput',
  description: 'The fields of a record to insert; generated ones such as `id` may be left out.',
  typedAs: 'NewRecord',
});

export const RecordPatch = Type.Record(Type.String(), Type.Unknown(), {
  $id: 'RecordPatch',
  description: 'The fields of a record to change, merged into it.',
  typedAs: 'RecordUpdate',
});

export const WhereFilter = Type.Record(Type.String(), Type.Unknown(), {
  $id: 'WhereFilter',
  description:
    '`{field: value}` for equality, operator objects (`$eq $neq $gt $gte $lt $lte $in $nin $contains $startsWith $endsWith $exists $between`), and top-level `$or` / `$and`.',
  typedAs: 'RecordFilter',
});

export const FieldName = Type.String({
  minLength: 1,
  $id: 'FieldName',
  typedAs: 'NumericField',
  description: 'The name of a numeric record field.',
});
