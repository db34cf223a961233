import { VariableDeclarationKind, type Project, type SourceFile } from 'ts-morph';
import { runtimeImport } from './client.js';
import type { Schema, Spec } from './schema.js';

/**
 * generated/catalog.ts: what the CLI tells about each operation (its doc, the
 * SDK method it becomes, its request as plain JSON Schema), so that `noex
 * --help` reads generated data and never loads the spec's TypeBox.
 */
export function emitCatalog(project: Project, spec: Spec): SourceFile {
  const file = project.createSourceFile('catalog.ts');
  const named = new Map<string, string>();
  // A named schema is a constant of its own, declared after those it uses and before its first use.
  const literal = (schema: Schema, declare = false): string => {
    if (schema.$id && !declare) {
      if (!named.has(schema.$id)) named.set(schema.$id, literal(schema, true));
      return schema.$id;
    }
    const fields = Object.entries(schema).map(
      ([key, value]) => `${JSON.stringify(key)}: ${valueText(key, value)}`,
    );
    return `{ ${fields.join(', ')} }`;
  };
  /** A keyword's value, with the schemas inside it as literals. */
  const valueText = (key: string, value: unknown): string => {
    switch (key) {
      case 'items':
      case 'additionalProperties':
        return typeof value === 'object' ? literal(value as Schema) : JSON.stringify(value);
      case 'anyOf':
        return `[${(value as Schema[]).map((member) => literal(member)).join(', ')}]`;
      case 'properties':
      case 'patternProperties': {
        const entries = Object.entries(value as Record<string, Schema>);
        return `{ ${entries.map(([name, child]) => `${JSON.stringify(name)}: ${literal(child)}`).join(', ')} }`;
      }
      default:
        return JSON.stringify(value);
    }
  };
  const entries = Object.entries(spec).map(([name, op]) => {
    const entry = {
      doc: op.doc,
      api: op.api,
      method: op.method,
      params: op.params,
      ...(op.kind && { kind: op.kind }),
      ...(op.unwrap && { unwrap: op.unwrap }),
      ...(op.callback && { callback: Object.keys(op.callback) }),
    };
    const fields = JSON.stringify(entry).slice(1, -1);
    return `${JSON.stringify(name)}: { ${fields}, request: ${literal(op.request as Schema)} }`;
  });
  file.addImportDeclaration({
    moduleSpecifier: runtimeImport,
    isTypeOnly: true,
    namedImports: ['JsonSchema'],
  });
  file.addInterface({
    name: 'CatalogEntry',
    isExported: true,
    docs: ['One operation as the spec declares it, its request as plain JSON Schema.'],
    properties: [
      { name: 'doc', type: 'string' },
      { name: 'api', type: 'string' },
      { name: 'method', type: 'string' },
      { name: 'params', type: 'readonly string[]' },
      {
        name: 'kind',
        type: `'call' | 'void' | 'subscribe' | 'unsubscribe'`,
        hasQuestionToken: true,
      },
      { name: 'unwrap', type: 'string', hasQuestionToken: true },
      { name: 'callback', type: 'readonly string[]', hasQuestionToken: true },
      { name: 'request', type: 'JsonSchema' },
    ].map((property) => ({ ...property, isReadonly: true })),
  });
  file.addStatements([...named].map(([name, text]) => `const ${name}: JsonSchema = ${text};`));
  file.addVariableStatement({
    declarationKind: VariableDeclarationKind.Const,
    isExported: true,
    docs: ['Every operation by wire name, in spec order.'],
    declarations: [
      {
        name: 'catalog',
        type: 'Readonly<Record<string, CatalogEntry>>',
        initializer: `{ ${entries.join(',\n')} }`,
      },
    ],
  });
  return file;
}
