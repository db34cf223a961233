import {
  Project,
  Scope,
  type ClassDeclaration,
  type MethodDeclarationStructure,
  type OptionalKind,
  type SourceFile,
} from 'ts-morph';
import type { ApiName, OperationSpec } from '../protocol/define.js';
import { isRequired, type Schema, type Spec } from './schema.js';
import { printType, propertyKey, type TypeContext } from './types.js';

/**
 * Emits generated/client.ts: one class per API object, each method a one-liner
 * into the runtime's Caller, and NoexClient composing them.
 */

/** How the bucket class's named types become generic in its record type `T`. */
const bucketGenerics: Record<string, string> = {
  StoreRecord: 'BucketRecord<T>',
  RecordInput: 'NewRecord<T>',
  RecordPatch: 'RecordUpdate<T>',
  WhereFilter: 'RecordFilter<T>',
  FieldName: 'NumericField<T>',
  PaginatedRecords: 'BucketPage<T>',
};

const apiOrder: readonly ApiName[] = [
  'store',
  'bucket',
  'rules',
  'auth',
  'identity',
  'procedures',
  'audit',
  'server',
];
const apiDocs: Record<ApiName, string> = {
  store: 'Buckets, reactive queries, transactions and store administration.',
  bucket: 'The operations on one bucket, with its name bound.',
  rules: 'The rules engine: events, facts, rule subscriptions and rule administration.',
  auth: 'Token sessions.',
  identity: 'Built-in identity: sessions, users, roles, ACL and ownership.',
  procedures: 'Server-side procedures.',
  audit: 'The audit log.',
  server: 'Server statistics and connections.',
};
const access = (field: string) =>
  /^[A-Za-z_$][\w$]*$/.test(field) ? `.${field}` : `[${JSON.stringify(field)}]`;
const className = (api: ApiName) => `${api[0]!.toUpperCase()}${api.slice(1)}API`;
export const runtimeImport = '../runtime/index.js';

interface MethodParts {
  readonly parameters: { name: string; type: string; hasQuestionToken?: boolean }[];
  readonly payload: string;
}

function methodParts(op: OperationSpec, context: TypeContext, bound?: string): MethodParts {
  const request = op.request as Schema;
  const properties = request.properties ?? {};
  const covered = new Set(op.params.filter((p) => !p.startsWith('...')));
  if (bound) covered.add(bound);
  const parameters: MethodParts['parameters'] = [];
  const payload: string[] = bound ? [`${bound}: this.name`] : [];
  for (const param of op.params) {
    if (param.startsWith('...')) {
      const name = param.slice(3);
      const rest = Object.keys(properties).filter((field) => !covered.has(field));
      const restSchema: Schema = {
        type: 'object',
        properties: Object.fromEntries(rest.map((field) => [field, properties[field]!])),
        required: rest.filter((field) => isRequired(request, field)),
      };
      const optional = restSchema.required!.length === 0;
      const whole = rest.length === Object.keys(properties).length && request.$id;
      parameters.push({
        name,
        type: printType(whole ? request : restSchema, context),
        hasQuestionToken: optional,
      });
      payload.push(`...${name}`);
    } else {
      const schema = properties[param];
      if (!schema) throw new Error(`parameter "${param}" is not a request field`);
      parameters.push({
        name: param,
        type: printType(schema, context),
        hasQuestionToken: !isRequired(request, param),
      });
      payload.push(param === propertyKey(param) ? param : `${propertyKey(param)}: ${param}`);
    }
  }
  return { parameters, payload: `{ ${payload.join(', ')} }` };
}

interface Imports {
  readonly types: Set<string>;
  readonly runtime: Set<string>;
}

function addMethod(
  cls: ClassDeclaration,
  name: string,
  op: OperationSpec,
  generic: boolean,
  imports: Imports,
): void {
  const context: TypeContext = {
    reference: (id) => {
      const mapped = generic ? bucketGenerics[id] : undefined;
      if (mapped) imports.runtime.add(mapped.split('<')[0]!);
      else imports.types.add(id);
      return mapped ?? id;
    },
  };
  const { parameters, payload } = methodParts(op, context, generic ? 'bucket' : undefined);
  const optionsName = parameters.some((p) => p.name === 'options') ? 'callOptions' : 'options';
  const options = { name: optionsName, type: 'CallOptions', hasQuestionToken: true };
  const resultSchema = op.unwrap
    ? (op.result as Schema).properties?.[op.unwrap]
    : (op.result as Schema);
  if (!resultSchema) throw new Error(`${name}: unwrap field "${op.unwrap}" is not in the result`);
  const result = printType(resultSchema, context);
  const substituted = generic && result !== printType(resultSchema);
  const unwrap = op.unwrap ? `.then((result) => result${access(op.unwrap)})` : '';
  const typedPayload = generic
    ? `${payload} as Operations[${JSON.stringify(name)}]['request']`
    : payload;
  const kind = op.kind ?? 'call';
  const wire = JSON.stringify(name);
  if (kind === 'subscribe') {
    // A callback of untyped results takes the caller's type for them: subscribe<User[]>(...).
    const callback = Object.entries(op.callback ?? {});
    const typed =
      callback.length === 1 && printType(callback[0]![1] as Schema, context) === 'unknown';
    const callbackParams = callback
      .map(([param, schema]) => `${param}: ${typed ? 'R' : printType(schema as Schema, context)}`)
      .join(', ');
    const [first, ...rest] = parameters;
    cls.addMethod({
      name: op.method,
      docs: [op.doc],
      typeParameters: typed ? [{ name: 'R', default: 'unknown' }] : [],
      parameters: [
        first!,
        { name: 'callback', type: `(${callbackParams}) => void` },
        ...rest,
        { ...options, type: 'SubscribeOptions' },
      ],
      returnType: 'Promise<Unsubscribe>',
      statements: `return this.core.subscribe(${wire}, ${typedPayload}, callback as (...args: never[]) => void, ${optionsName});`,
    });
    return;
  }
  const call = `this.core.call(${wire}, ${typedPayload}, ${optionsName}${generic ? ', this.schema' : ''})`;
  const statement = {
    call: `return ${call}${unwrap}${substituted ? ` as Promise<${result}>` : ''};`,
    void: `await ${call};`,
    unsubscribe: `return this.core.unsubscribe(${wire}, ${typedPayload}, ${optionsName});`,
  }[kind];
  cls.addMethod({
    name: op.method,
    docs: [op.doc],
    isAsync: kind === 'void',
    parameters: [...parameters, options],
    returnType: kind === 'call' ? `Promise<${result}>` : 'Promise<void>',
    statements: statement,
  });
}

/**
 * Methods that are not operations but are built on them: the record-schema
 * overload of `store.bucket`, and the streams. Each is a one-liner into the
 * runtime; `needs` names the operation it builds on.
 */
interface DerivedMethod {
  readonly needs: string;
  readonly structure: OptionalKind<MethodDeclarationStructure>;
  readonly runtime: readonly string[];
  readonly runtimeTypes: readonly string[];
  readonly types?: readonly string[];
}

const derived: Partial<Record<ApiName, readonly DerivedMethod[]>> = {
  store: [
    {
      needs: 'store.subscribe',
      runtime: ['watchLatest'],
      runtimeTypes: ['WatchOptions'],
      structure: {
        name: 'watch',
        docs: [
          'A reactive query as an async iterator: the current result, then each change; a slow consumer gets the latest result. `break` or an aborted signal unsubscribes.',
        ],
        typeParameters: [{ name: 'R', default: 'unknown' }],
        parameters: [
          { name: 'query', type: 'string' },
          { name: 'params', type: 'unknown', hasQuestionToken: true },
          { name: 'options', type: 'WatchOptions', hasQuestionToken: true },
        ],
        returnType: 'AsyncIterableIterator<R>',
        statements:
          'return watchLatest<R>((push, opts) => this.subscribe<R>(query, push, params, opts), options);',
      },
    },
  ],
  rules: [
    {
      needs: 'rules.subscribe',
      runtime: ['watchAll'],
      runtimeTypes: ['WatchOptions'],
      types: ['RuleEvent'],
      structure: {
        name: 'watch',
        docs: [
          'Rule events matching a pattern as an async iterator, each `{ event, topic }` in order. `break` or an aborted signal unsubscribes.',
        ],
        parameters: [
          { name: 'pattern', type: 'string' },
          { name: 'options', type: 'WatchOptions', hasQuestionToken: true },
        ],
        returnType: 'AsyncIterableIterator<{ event: RuleEvent; topic: string }>',
        statements:
          'return watchAll((push, opts) => this.subscribe(pattern, (event, topic) => push({ event, topic }), opts), options);',
      },
    },
  ],
  bucket: [
    {
      needs: 'store.paginate',
      runtime: ['pages'],
      runtimeTypes: ['IterateOptions', 'BucketRecord'],
      structure: {
        name: 'iterate',
        docs: [
          'Every record of the bucket as an async iterator, fetched `pageSize` records at a time.',
        ],
        parameters: [{ name: 'options', type: 'IterateOptions' }],
        returnType: 'AsyncIterableIterator<BucketRecord<T>>',
        statements:
          'return pages((after, opts) => this.paginate({ limit: options.pageSize, after }, opts), options);',
      },
    },
  ],
};

export function emitClient(project: Project, spec: Spec): SourceFile {
  const file = project.createSourceFile('client.ts');
  const byApi = new Map<ApiName, [string, OperationSpec][]>();
  for (const entry of Object.entries(spec)) {
    const list = byApi.get(entry[1].api) ?? [];
    list.push(entry);
    byApi.set(entry[1].api, list);
  }
  const hasBuckets = byApi.has('bucket');
  const apis = apiOrder.filter((api) => byApi.has(api) || (api === 'store' && hasBuckets));
  const imports: Imports = {
    types: new Set(),
    runtime: new Set(['Caller', 'CallOptions', 'ClientOptions']),
  };
  const runtimeValues = new Set(['ClientCore']);
  const external = new Set<string>();
  if (Object.values(spec).some((op) => op.kind === 'subscribe')) {
    imports.runtime.add('Unsubscribe');
    imports.runtime.add('SubscribeOptions');
  }
  for (const api of apis) {
    const generic = api === 'bucket';
    const cls = file.addClass({
      name: className(api),
      isExported: true,
      docs: [apiDocs[api]],
      typeParameters: generic
        ? [{ name: 'T', constraint: 'object', default: 'Record<string, unknown>' }]
        : [],
    });
    cls.addConstructor({
      parameters: [
        { name: 'core', type: 'Caller<Operations>', scope: Scope.Private, isReadonly: true },
        ...(generic
          ? [
              { name: 'name', type: 'string', scope: Scope.Public, isReadonly: true },
              {
                name: 'schema',
                type: 'BucketSchema',
                scope: Scope.Private,
                isReadonly: true,
                hasQuestionToken: true,
              },
            ]
          : []),
      ],
    });
    if (api === 'store' && hasBuckets) {
      cls.addMethod({
        name: 'bucket',
        overloads: [
          {
            docs: ['The operations on one bucket, its records typed `T`; makes no request.'],
            typeParameters: [
              { name: 'T', constraint: 'object', default: 'Record<string, unknown>' },
            ],
            parameters: [{ name: 'name', type: 'string' }],
            returnType: 'BucketAPI<T>',
          },
          {
            docs: [
              'The operations on one bucket whose records the schema describes: every record sent and received is checked against it.',
            ],
            typeParameters: [{ name: 'S', constraint: 'TObject' }],
            parameters: [
              { name: 'name', type: 'string' },
              { name: 'schema', type: 'S' },
            ],
            returnType: 'BucketAPI<Static<S>>',
          },
        ],
        parameters: [
          { name: 'name', type: 'string' },
          { name: 'schema', type: 'TObject', hasQuestionToken: true },
        ],
        returnType: 'BucketAPI<any>',
        statements: 'return new BucketAPI(this.core, name, schema && new BucketSchema(schema));',
      });
      runtimeValues.add('BucketSchema');
      external.add('TObject').add('Static');
    }
    if (generic) imports.runtime.add('BucketSchema');
    for (const [name, op] of byApi.get(api) ?? []) addMethod(cls, name, op, generic, imports);
    for (const method of derived[api] ?? []) {
      if (!(method.needs in spec)) continue;
      cls.addMethod(method.structure);
      method.runtime.forEach((n) => runtimeValues.add(n));
      method.runtimeTypes.forEach((n) => imports.runtime.add(n));
      method.types?.forEach((n) => imports.types.add(n));
    }
  }
  const client = file.addClass({
    name: 'NoexClient',
    isExported: true,
    extends: 'ClientCore<Operations>',
    docs: ['A client for noex-server. Makes no connection until `connect()`.'],
  });
  for (const api of apis.filter((a) => a !== 'bucket')) {
    client.addProperty({
      name: api,
      isReadonly: true,
      type: className(api),
      initializer: `new ${className(api)}(this.caller)`,
      docs: [apiDocs[api]],
    });
  }
  client.addConstructor({
    parameters: [
      { name: 'url', type: 'string' },
      { name: 'options', type: 'ClientOptions', hasQuestionToken: true },
    ],
    statements: 'super(url, options, validators, effects);',
  });
  for (const value of runtimeValues) imports.runtime.delete(value);
  file.insertImportDeclarations(0, [
    ...(external.size
      ? [{ moduleSpecifier: 'typebox', isTypeOnly: true, namedImports: [...external].sort() }]
      : []),
    {
      moduleSpecifier: runtimeImport,
      namedImports: [
        ...[...runtimeValues].sort(),
        ...[...imports.runtime].sort().map((n) => ({ name: n, isTypeOnly: true })),
      ],
    },
    {
      moduleSpecifier: './types.js',
      isTypeOnly: true,
      namedImports: ['Operations', ...[...imports.types].sort()],
    },
    { moduleSpecifier: './validators.js', namedImports: ['validators'] },
    { moduleSpecifier: './effects.js', namedImports: ['effects'] },
  ]);
  return file;
}
