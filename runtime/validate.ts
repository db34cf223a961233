import type { Issue } from './errors.js';
import { isObject } from './frames.js';

/** Checks a value; the list of what is wrong with it, or undefined when nothing is. */
export type Validator = (value: unknown) => Issue[] | undefined;
/** The request and result check of every operation, by wire name. */
export type OperationValidators = Readonly<
  Record<string, { request: Validator; result: Validator }>
>;

/**
 * The building blocks generated/validators.ts composes: each check answers
 * whether a value matches, fast, and, given an `out` list, names every
 * mismatch by its path. Plain closures built at import time: no eval.
 */
export type Check = (value: unknown, path?: string, out?: Issue[]) => boolean;

const join = (path: string | undefined, key: string) => (path ? `${path}.${key}` : key);

function fail(path: string | undefined, out: Issue[] | undefined, message: string): false {
  out?.push({ path: path ?? '', message });
  return false;
}

/** Any value, including none. */
export const any: Check = () => true;

export const bool: Check = (v, p, o) => typeof v === 'boolean' || fail(p, o, 'expected boolean');
export const nul: Check = (v, p, o) => v === null || fail(p, o, 'expected null');

export function str(min = 0, max = Infinity): Check {
  const message =
    max === Infinity
      ? min === 0
        ? 'expected string'
        : min === 1
          ? 'expected non-empty string'
          : `expected string of at least ${min} characters`
      : min === 0
        ? `expected string of at most ${max} characters`
        : `expected string of ${min} to ${max} characters`;
  return (v, p, o) =>
    (typeof v === 'string' && v.length >= min && v.length <= max) || fail(p, o, message);
}

export function num(min = -Infinity): Check {
  const message = min === -Infinity ? 'expected number' : `expected number ≥ ${min}`;
  return (v, p, o) => (typeof v === 'number' && v >= min) || fail(p, o, message);
}

export function int(min = -Infinity): Check {
  const message =
    min === 1
      ? 'expected positive integer'
      : min === -Infinity
        ? 'expected integer'
        : `expected integer ≥ ${min}`;
  return (v, p, o) => (Number.isInteger(v) && (v as number) >= min) || fail(p, o, message);
}

export function lit(value: string | number | boolean | null): Check {
  const message = `expected ${JSON.stringify(value)}`;
  return (v, p, o) => v === value || fail(p, o, message);
}

export function arr(item: Check, minItems = 0): Check {
  return (v, p, o) => {
    if (!Array.isArray(v)) return fail(p, o, 'expected array');
    let ok = v.length >= minItems || fail(p, o, `expected at least ${minItems} item(s)`);
    if (item === any) return ok;
    for (let i = 0; i < v.length; i++) {
      if (!item(v[i], o && `${p ?? ''}[${i}]`, o)) {
        if (!o) return false;
        ok = false;
      }
    }
    return ok;
  };
}

/** `Record<string, values>`. */
export function rec(values: Check): Check {
  return (v, p, o) => {
    if (!isObject(v)) return fail(p, o, 'expected object');
    if (values === any) return true;
    let ok = true;
    for (const key in v) {
      if (!values(v[key], o && join(p, key), o)) {
        if (!o) return false;
        ok = false;
      }
    }
    return ok;
  };
}

/** The fields `opt` marks, each with the check of its value. */
const optionalFields = new WeakMap<Check, Check>();

/** A field of `obj`/`req` that may be absent (undefined counts as absent, as in JSON). */
export function opt(check: Check): Check {
  const field: Check = (v, p, o) => check(v, p, o);
  optionalFields.set(field, check);
  return field;
}

/**
 * An object with these fields; those marked `opt` may be absent. A `closed`
 * object accepts no other fields.
 */
export function obj(fields: Record<string, Check>, closed = false): Check {
  const keys = Object.keys(fields);
  const checks = keys.map((key) => optionalFields.get(fields[key]!) ?? fields[key]!);
  const required = keys.map((key) => !optionalFields.has(fields[key]!));
  const known = new Set(keys);
  const count = keys.length;
  return (v, p, o) => {
    if (!isObject(v)) return fail(p, o, 'expected object');
    let ok = true;
    for (let i = 0; i < count; i++) {
      const value = v[keys[i]!];
      const passed =
        value === undefined
          ? !required[i] || fail(join(p, keys[i]!), o, 'is required')
          : checks[i]!(value, o && join(p, keys[i]!), o);
      if (!passed) {
        if (!o) return false;
        ok = false;
      }
    }
    if (closed) {
      for (const key in v) {
        if (v[key] !== undefined && !known.has(key)) {
          if (!o) return false;
          ok = fail(join(p, key), o, 'is not a known field');
        }
      }
    }
    return ok;
  };
}

/** A request payload: exactly these fields, those marked `opt` may be absent. */
export const req = (fields: Record<string, Check>): Check => obj(fields, true);

/** One of these literal values. */
export function enm(...values: Array<string | number | boolean | null>): Check {
  const message = `expected ${values.map((v) => JSON.stringify(v)).join(' or ')}`;
  return (v, p, o) => values.includes(v as string) || fail(p, o, message);
}

/** A value `check` accepts, or null; any other value gets `check`'s own messages. */
export function orNull(check: Check): Check {
  return (v, p, o) => v === null || check(v, p, o);
}

/** Any of `options`; `expected` describes them for the error message. */
export function oneOf(expected: string, ...options: Check[]): Check {
  const message = `expected ${expected}`;
  return (v, p, o) => {
    for (let i = 0; i < options.length; i++) if (options[i]!(v)) return true;
    return fail(p, o, message);
  };
}

/** Objects told apart by the literal value of field `key`. */
export function tagged(key: string, branches: Record<string, Check>): Check {
  const message = `expected one of ${Object.keys(branches)
    .map((tag) => JSON.stringify(tag))
    .join(', ')}`;
  return (v, p, o) => {
    if (!isObject(v)) return fail(p, o, 'expected object');
    const branch = Object.hasOwn(branches, v[key] as string)
      ? branches[v[key] as string]
      : undefined;
    return branch ? branch(v, p, o) : fail(join(p, key), o, message);
  };
}

/** An operation's request and result validators. */
export const op = (request: Check, result: Check) => ({
  request: validator(request),
  result: validator(result),
});

/** A validator for one payload or result: undefined when it matches, else every issue. */
export function validator(check: Check): Validator {
  if (check === any) return () => undefined;
  return (value) => {
    if (check(value)) return undefined;
    const out: Issue[] = [];
    check(value, '', out);
    return out;
  };
}
