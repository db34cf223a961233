import { Scope, type ClassDeclaration, type Project, type SourceFile } from 'ts-morph';
import { apis } from '../protocol/apis.js';
import type { ApiName, OperationSpec } from '../protocol/define.js';
import { isRequired, type Schema, type Spec } from './schema.js';
import { methodDoc } from './tsdoc.js';
import { printType, propertyKey, type TypeContext } from './types.js';

/**
 * Emits generated/client.ts: one class per client object, each method a
 * one-liner into the runtime's Caller, and NoexClient composing them. The
 * classes extend the handwritten ones of runtime/api-base.ts (protocol/apis.ts
 * says which), where the methods built on operations live.
 */

const access = (field: string) =>
  /^[A-Za-z_$][\w$]*$/.test(field) ? `.${field}` : `[${JSON.stringify(field)}]`;
const capitalized = (name: string) => `${name[0]!.toUpperCase()}${name.slice(1)}`;
export const className = (api: string) => `${capitalized(api)}API`;
export const runtimeImport = '../runtime/index.js';

/**
 * The client objects a generated app types (`NoexClient<App>`): their type as
 * a function of the app, from runtime/app.ts. Without an app they are the
 * generated classes themselves.
 */
const appTyped: Partial<Record<ApiName, { type: string; of: (cls: string) => string }>> = {
  store: { type: 'StoreOf', of: (cls) => `StoreOf<A, ${cls}, ${className('bucket')}Kind>` },
  procedures: { type: 'ProceduresOf', of: (cls) => `ProceduresOf<A, ${cls}>` },
};

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
  /** Runtime types, and the runtime classes (`values`) the generated ones extend. */
  readonly runtime: Set<string>;
  readonly values: Set<string>;
}

function addMethod(
  cls: ClassDeclaration,
  name: string,
  op: OperationSpec,
  bound: string | undefined,
  imports: Imports,
): void {
  // In a bound object's methods, the schemas the spec marks `typedAs` are typed by its records.
  const context: TypeContext = {
    reference: (schema) => {
      const typed = bound ? schema.typedAs : undefined;
      if (typed) imports.runtime.add(typed);
      else imports.types.add(schema.$id);
      return typed ? `${typed}<T>` : schema.$id;
    },
  };
  const { parameters, payload } = methodParts(op, context, bound);
  const optionsName = parameters.some((p) => p.name === 'options') ? 'callOptions' : 'options';
  const options = { name: optionsName, type: 'CallOptions', hasQuestionToken: true };
  const resultSchema = op.unwrap
    ? (op.result as Schema).properties?.[op.unwrap]
    : (op.result as Schema);
  if (!resultSchema) throw new Error(`${name}: unwrap field "${op.unwrap}" is not in the result`);
  const result = printType(resultSchema, context);
  const substituted = bound && result !== printType(resultSchema);
  const unwrap = op.unwrap ? `.then((result) => result${access(op.unwrap)})` : '';
  const typedPayload = bound
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
    const all = [
      first!,
      { name: 'callback', type: `(${callbackParams}) => void` },
      ...rest,
      { ...options, type: 'SubscribeOptions' },
    ];
    cls.addMethod({
      name: op.method,
      docs: [methodDoc(op, all, bound)],
      typeParameters: typed ? [{ name: 'R', default: 'unknown' }] : [],
      parameters: all,
      returnType: 'Promise<Unsubscribe>',
      statements: `return this.core.subscribe(${wire}, ${typedPayload}, callback as (...args: never[]) => void, ${optionsName});`,
    });
    return;
  }
  const call = `this.core.call(${wire}, ${typedPayload}, ${optionsName}${bound ? ', this.schema' : ''})`;
  const statement = {
    call: `return ${call}${unwrap}${substituted ? ` as Promise<${result}>` : ''};`,
    void: `await ${call};`,
    unsubscribe: `return this.core.unsubscribe(${wire}, ${typedPayload}, ${optionsName});`,
  }[kind];
  cls.addMethod({
    name: op.method,
    docs: [methodDoc(op, [...parameters, options], bound)],
    isAsync: kind === 'void',
    parameters: [...parameters, options],
    returnType: kind === 'call' ? `Promise<${result}>` : 'Promise<void>',
    statements: statement,
  });
}

/** The class of one client object, with a method per operation. */
function addApiClass(
  file: SourceFile,
  api: ApiName,
  operations: readonly [string, OperationSpec][],
  imports: Imports,
): void {
  const spec = apis[api];
  const bound = 'boundIn' in spec ? api : undefined;
  const base = 'base' in spec ? spec.base : 'ApiBase';
  imports.values.add(base);
  const opens = (Object.keys(apis) as ApiName[]).filter(
    (child) => (apis[child] as { boundIn?: string }).boundIn === api,
  );
  const typeArguments = [
    'Operations',
    ...(bound ? ['T'] : []),
    ...opens.map((c) => `${className(c)}Kind`),
  ];
  const cls = file.addClass({
    name: className(api),
    isExported: true,
    docs: [spec.doc],
    typeParameters: bound
      ? [{ name: 'T', constraint: 'object', default: 'Record<string, unknown>' }]
      : [],
    extends: `${base}<${typeArguments.join(', ')}>`,
  });
  for (const child of opens) {
    imports.runtime.add('BucketKind').add('BucketSchema');
    file.addInterface({
      name: `${className(child)}Kind`,
      isExported: true,
      docs: [
        `\`${className(child)}\` of the record type \`records\`, for the ${api} object's \`${child}()\`.`,
      ],
      extends: ['BucketKind'],
      properties: [
        {
          name: 'api',
          isReadonly: true,
          type: `${className(child)}<Extract<this['records'], object>>`,
        },
      ],
    });
    cls.addMethod({
      name: `open${capitalized(child)}`,
      scope: Scope.Protected,
      parameters: [
        { name: 'name', type: 'string' },
        { name: 'schema', type: 'BucketSchema | undefined' },
      ],
      returnType: `${className(child)}`,
      statements: `return new ${className(child)}(this.core, name, schema);`,
    });
  }
  for (const [name, op] of operations) addMethod(cls, name, op, bound, imports);
}

export function emitClient(project: Project, spec: Spec): SourceFile {
  const file = project.createSourceFile('client.ts');
  const byApi = new Map<ApiName, [string, OperationSpec][]>();
  for (const entry of Object.entries(spec)) {
    const list = byApi.get(entry[1].api) ?? [];
    list.push(entry);
    byApi.set(entry[1].api, list);
  }
  const present = (Object.keys(apis) as ApiName[]).filter(
    (api) =>
      byApi.has(api) ||
      (Object.keys(apis) as ApiName[]).some(
        (child) => byApi.has(child) && (apis[child] as { boundIn?: string }).boundIn === api,
      ),
  );
  const imports: Imports = {
    types: new Set(),
    runtime: new Set(['CallOptions', 'ClientOptions']),
    values: new Set(['ClientCore']),
  };
  if (Object.values(spec).some((op) => op.kind === 'subscribe')) {
    imports.runtime.add('Unsubscribe').add('SubscribeOptions');
  }
  for (const api of present) addApiClass(file, api, byApi.get(api) ?? [], imports);
  const client = file.addClass({
    name: 'NoexClient',
    isExported: true,
    typeParameters: [{ name: 'A', constraint: 'AppShape', default: 'UntypedApp' }],
    extends: 'ClientCore<Operations>',
    docs: [
      "A client for noex-server. Makes no connection until `connect()`. `A`, an app's generated `type App`, types its buckets, queries and procedures by name.",
    ],
  });
  imports.runtime.add('AppShape').add('UntypedApp');
  for (const api of present.filter((a) => !('boundIn' in apis[a]))) {
    const typed = appTyped[api];
    if (typed) imports.runtime.add(typed.type);
    const type = typed ? typed.of(className(api)) : className(api);
    client.addProperty({
      name: api,
      isReadonly: true,
      type,
      initializer: `new ${className(api)}(this.caller)${typed ? ` as ${type}` : ''}`,
      docs: [apis[api].doc],
    });
  }
  client.addConstructor({
    parameters: [
      { name: 'url', type: 'string' },
      { name: 'options', type: 'ClientOptions', hasQuestionToken: true },
    ],
    // The validators are a chunk of their own: they load with the first connect or call.
    statements: "super(url, options, () => import('./validators.js'), effects);",
  });
  file.insertImportDeclarations(0, [
    {
      moduleSpecifier: runtimeImport,
      namedImports: [
        ...[...imports.values].sort(),
        ...[...imports.runtime].sort().map((n) => ({ name: n, isTypeOnly: true })),
      ],
    },
    {
      moduleSpecifier: './types.js',
      isTypeOnly: true,
      namedImports: ['Operations', ...[...imports.types].sort()],
    },
    { moduleSpecifier: './effects.js', namedImports: ['effects'] },
  ]);
  return file;
}
