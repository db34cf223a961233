import { isRequired, recordValues, type Schema } from './schema.js';

/**
 * Emits validators as plain code (no eval at run time). Each schema becomes a
 * boolean test, the hot path, and an issue collector that runs only when the
 * test fails and names every offending path.
 */

const identifier = /^[A-Za-z_$][\w$]*$/;
const access = (value: string, name: string) =>
  identifier.test(name) ? `${value}.${name}` : `${value}[${JSON.stringify(name)}]`;
const isUnknown = (schema: Schema) =>
  !schema.$id && schema.type === undefined && !schema.anyOf && schema.const === undefined;

export const testName = (id: string) => `is${id}`;
export const collectName = (id: string) => `check${id}`;

/** A short description of the values a schema accepts, for error messages. */
export function describe(schema: Schema): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.anyOf) return schema.anyOf.map(describe).join(' or ');
  switch (schema.type) {
    case 'string':
      if (schema.minLength === 1 && schema.maxLength === undefined) return 'non-empty string';
      if (schema.minLength !== undefined && schema.maxLength !== undefined) {
        return `string of ${schema.minLength} to ${schema.maxLength} characters`;
      }
      if (schema.minLength !== undefined)
        return `string of at least ${schema.minLength} characters`;
      if (schema.maxLength !== undefined) return `string of at most ${schema.maxLength} characters`;
      return 'string';
    case 'integer':
      if (schema.minimum === 1) return 'positive integer';
      return schema.minimum === undefined ? 'integer' : `integer ≥ ${schema.minimum}`;
    case 'number':
      return schema.minimum === undefined ? 'number' : `number ≥ ${schema.minimum}`;
    case 'array':
      return schema.minItems ? `array of at least ${schema.minItems} item(s)` : 'array';
    case 'object':
    case 'boolean':
    case 'null':
      return schema.type;
    default:
      return 'any value';
  }
}

function discriminator(schema: Schema): string | undefined {
  const members = schema.anyOf ?? [];
  if (members.length < 2 || !members.every((m) => m.type === 'object' && m.properties))
    return undefined;
  const candidates = Object.keys(members[0]!.properties!).filter((name) =>
    members.every((m) => isRequired(m, name) && m.properties![name]!.const !== undefined),
  );
  return candidates[0];
}

export class ValidatorEmitter {
  private depth = 0;
  /** Named schemas whose test / collector the emitted code calls. */
  readonly tests = new Set<string>();
  readonly collectors = new Set<string>();

  /** A boolean expression: does `value` match `schema`? `value` must be side-effect free. */
  test(schema: Schema, value: string, declare = false): string {
    if (schema.$id && !declare) {
      this.tests.add(schema.$id);
      return `${testName(schema.$id)}(${value})`;
    }
    if (schema.const !== undefined) return `${value} === ${JSON.stringify(schema.const)}`;
    if (schema.anyOf) return `(${schema.anyOf.map((m) => this.test(m, value)).join(' || ')})`;
    const parts: string[] = [];
    switch (schema.type) {
      case 'string':
        parts.push(`typeof ${value} === "string"`);
        if (schema.minLength !== undefined) parts.push(`${value}.length >= ${schema.minLength}`);
        if (schema.maxLength !== undefined) parts.push(`${value}.length <= ${schema.maxLength}`);
        break;
      case 'number':
        parts.push(`typeof ${value} === "number"`);
        if (schema.minimum !== undefined) parts.push(`${value} >= ${schema.minimum}`);
        break;
      case 'integer':
        parts.push(`Number.isInteger(${value})`);
        if (schema.minimum !== undefined) parts.push(`${value} >= ${schema.minimum}`);
        break;
      case 'boolean':
        parts.push(`typeof ${value} === "boolean"`);
        break;
      case 'null':
        parts.push(`${value} === null`);
        break;
      case 'array':
        parts.push(`Array.isArray(${value})`);
        if (schema.minItems) parts.push(`${value}.length >= ${schema.minItems}`);
        if (schema.items && !isUnknown(schema.items)) parts.push(this.every(schema.items, value));
        break;
      case 'object':
        parts.push(...this.testObject(schema, value));
        break;
      default:
        return 'true';
    }
    return parts.length === 1 ? parts[0]! : `(${parts.join(' && ')})`;
  }

  private every(item: Schema, array: string): string {
    if (item.$id) {
      this.tests.add(item.$id);
      return `${array}.every(${testName(item.$id)})`;
    }
    const element = `e${++this.depth}`;
    const body = this.test(item, element);
    this.depth--;
    return `${array}.every((${element}: any) => ${body})`;
  }

  private testObject(schema: Schema, value: string): string[] {
    const parts = [`isObject(${value})`];
    const values = recordValues(schema);
    if (values) {
      if (!isUnknown(values)) parts.push(this.every(values, `Object.values(${value})`));
      return parts;
    }
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      const field = access(value, name);
      if (isUnknown(property)) {
        if (isRequired(schema, name)) parts.push(`${field} !== undefined`);
      } else if (isRequired(schema, name)) {
        parts.push(this.test(property, field));
      } else {
        parts.push(`(${field} === undefined || ${this.test(property, field)})`);
      }
    }
    if (schema.additionalProperties === false) {
      parts.push(`onlyFields(${value}, ${JSON.stringify(Object.keys(schema.properties ?? {}))})`);
    }
    return parts;
  }

  /** Statements that push an issue to `out` for every mismatch under `path`. */
  collect(schema: Schema, value: string, path: string, declare = false): string {
    if (schema.$id && !declare) {
      this.collectors.add(schema.$id);
      return `${collectName(schema.$id)}(${value}, ${path}, out);`;
    }
    const fail = (message: string) =>
      `out.push({ path: ${path}, message: ${JSON.stringify(message)} });`;
    const expected = fail(`expected ${describe(schema)}`);
    if (schema.anyOf) {
      const key = discriminator(schema);
      return key
        ? this.collectTagged(schema, key, value, path)
        : `if (!${this.test(schema, value)}) ${expected}`;
    }
    if (schema.type === 'array') {
      const index = `i${++this.depth}`;
      const items =
        schema.items && !isUnknown(schema.items)
          ? `for (let ${index} = 0; ${index} < ${value}.length; ${index}++) { ${this.collect(schema.items, `${value}[${index}]`, `at(${path}, ${index})`)} }`
          : '';
      this.depth--;
      const tooShort = schema.minItems
        ? `if (${value}.length < ${schema.minItems}) ${fail(`expected at least ${schema.minItems} item(s)`)}`
        : '';
      return `if (!Array.isArray(${value})) ${expected} else { ${tooShort} ${items} }`;
    }
    if (schema.type === 'object')
      return `if (!isObject(${value})) ${expected} else { ${this.collectFields(schema, value, path)} }`;
    if (isUnknown(schema)) return '';
    return `if (!(${this.test(schema, value)})) ${expected}`;
  }

  private collectTagged(schema: Schema, key: string, value: string, path: string): string {
    const tags = schema.anyOf!.map((member) => member.properties![key]!.const);
    const cases = schema.anyOf!.map(
      (member, i) =>
        `case ${JSON.stringify(tags[i])}: { ${this.collectFields(member, value, path)} break; }`,
    );
    const wrongTag = `out.push({ path: field(${path}, ${JSON.stringify(key)}), message: ${JSON.stringify(
      `expected one of ${tags.map((t) => JSON.stringify(t)).join(', ')}`,
    )} });`;
    return `if (!isObject(${value})) out.push({ path: ${path}, message: "expected object" }); else switch (${access(value, key)}) { ${cases.join(' ')} default: ${wrongTag} }`;
  }

  private collectFields(schema: Schema, value: string, path: string): string {
    const values = recordValues(schema);
    if (values) {
      if (isUnknown(values)) return '';
      const key = `k${++this.depth}`;
      const body = this.collect(values, `${value}[${key}]`, `field(${path}, ${key})`);
      this.depth--;
      return `for (const ${key} in ${value}) { ${body} }`;
    }
    const statements = Object.entries(schema.properties ?? {}).map(([name, property]) => {
      const field = access(value, name);
      const fieldPath = `field(${path}, ${JSON.stringify(name)})`;
      const missing = isRequired(schema, name)
        ? `out.push({ path: ${fieldPath}, message: "is required" });`
        : '';
      const check = this.collect(property, field, fieldPath);
      return `if (${field} === undefined) { ${missing} } else { ${check} }`;
    });
    if (schema.additionalProperties === false) {
      const known = JSON.stringify(Object.keys(schema.properties ?? {}));
      statements.push(`unknownFields(${value}, ${known}, ${path}, out);`);
    }
    return statements.join('\n');
  }
}

/** Helpers every generated validator module starts with. */
export const validatorPrelude = `
function isObject(value: any): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function onlyFields(value: any, known: readonly string[]): boolean {
  for (const key in value) if (value[key] !== undefined && !known.includes(key)) return false;
  return true;
}
function field(path: string, key: string): string {
  return path === "" ? key : path + "." + key;
}
function at(path: string, index: number): string {
  return path + "[" + index + "]";
}
function unknownFields(value: any, known: readonly string[], path: string, out: Issue[]): void {
  for (const key in value) {
    if (value[key] !== undefined && !known.includes(key)) out.push({ path: field(path, key), message: "is not a known field" });
  }
}
`;
