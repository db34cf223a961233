import Type from 'typebox';
import { NonEmptyString, OneOf, WhereFilter } from './shapes.js';

/** What a bucket and a declarative query are made of, as `store.defineBucket` and `store.defineQuery` take them. */

export const FieldDefinition = Type.Object(
  {
    type: OneOf('string', 'number', 'boolean', 'object', 'array', 'date'),
    required: Type.Optional(Type.Boolean()),
    default: Type.Optional(Type.Unknown()),
    generated: Type.Optional(
      Type.Union([
        Type.Literal('uuid'),
        Type.Literal('cuid'),
        Type.Literal('autoincrement'),
        Type.Literal('timestamp'),
      ]),
    ),
    enum: Type.Optional(Type.Array(Type.Unknown())),
    format: Type.Optional(
      Type.Union([Type.Literal('email'), Type.Literal('url'), Type.Literal('iso-date')]),
    ),
    min: Type.Optional(Type.Number()),
    max: Type.Optional(Type.Number()),
    minLength: Type.Optional(Type.Number()),
    maxLength: Type.Optional(Type.Number()),
    pattern: Type.Optional(Type.String()),
    unique: Type.Optional(Type.Boolean()),
    ref: Type.Optional(Type.String()),
    onDelete: Type.Optional(
      Type.Union([Type.Literal('restrict'), Type.Literal('cascade'), Type.Literal('set_null')]),
    ),
    properties: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    items: Type.Optional(Type.Unknown()),
  },
  { $id: 'FieldDefinition', additionalProperties: true },
);

const Ttl = Type.Union([Type.Number(), Type.String()]);

export const BucketDefinition = Type.Object(
  {
    key: NonEmptyString,
    schema: Type.Record(Type.String(), FieldDefinition),
    indexes: Type.Optional(Type.Array(Type.String())),
    etsType: Type.Optional(
      Type.Union([
        Type.Literal('set'),
        Type.Literal('ordered_set'),
        Type.Literal('bag'),
        Type.Literal('duplicate_bag'),
      ]),
    ),
    persistent: Type.Optional(Type.Boolean()),
    ttl: Type.Optional(Ttl),
    maxSize: Type.Optional(Type.Integer()),
  },
  {
    $id: 'BucketDefinition',
    description: 'A bucket: its key field, the schema of its records, its indexes and storage.',
    additionalProperties: true,
  },
);

export const BucketSchemaUpdate = Type.Object(
  {
    addFields: Type.Optional(Type.Record(Type.String(), FieldDefinition)),
    addIndexes: Type.Optional(Type.Array(Type.String())),
    ttl: Type.Optional(Type.Union([Ttl, Type.Null()])),
  },
  {
    $id: 'BucketSchemaUpdate',
    description: 'Fields and indexes to add to a bucket, or its new TTL.',
    additionalProperties: true,
  },
);

export const QueryDefinition = Type.Object(
  {
    bucket: NonEmptyString,
    filter: Type.Optional(WhereFilter),
    sort: Type.Optional(
      Type.Record(Type.String(), Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
    ),
    limit: Type.Optional(Type.Integer()),
    offset: Type.Optional(Type.Integer()),
    fields: Type.Optional(Type.Array(Type.String())),
    aggregate: Type.Optional(
      Type.Object({
        function: Type.Union([
          Type.Literal('count'),
          Type.Literal('sum'),
          Type.Literal('avg'),
          Type.Literal('min'),
          Type.Literal('max'),
        ]),
        field: Type.Optional(Type.String()),
        groupBy: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
      }),
    ),
  },
  {
    $id: 'QueryDefinition',
    description: 'A declarative query: a bucket, a filter, sorting, paging and an aggregate.',
    additionalProperties: true,
  },
);
