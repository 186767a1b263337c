import { Construct, IConstruct } from 'constructs';
import { BlueGreenValidationError } from '../errors';

/**
 * Runtime type checks of props, for JavaScript callers (and jsii callers that bypass a type): a
 * value of the wrong type is reported as a BlueGreenValidationError naming the construct path,
 * the prop path (`strategy.bakeTime`, `hooks[2]`) and what was expected and received, instead of
 * a TypeError (`value.toSeconds is not a function`) further on.
 *
 * Each props interface has one table of {@link PropType}s next to the construct that reads it;
 * {@link checkProps} walks the table once, before the props are used. The checks are `typeof`
 * tests and a few property lookups per prop, so they cost nothing measurable at synth.
 *
 * Received values are described by their type (`a string`, `a number`, `an ApplicationListener`),
 * never dumped: a prop may hold a construct tree or a secret.
 */

/** Where an error points: a construct, or the name of a static factory that has none. */
export type ErrorScope = IConstruct | string;

/** One prop's runtime type: what it accepts and how to say so. */
export interface PropType {
  /** What the prop takes, for the error: e.g. `a Duration (e.g. Duration.minutes(5))`. */
  readonly expected: string;
  /** Whether the prop must be set. */
  readonly required: boolean;
  /** Throws a BlueGreenValidationError when `value` (neither undefined nor null) does not fit. */
  check(scope: ErrorScope, prop: string, value: unknown): void;
}

/** A props interface's table: prop name → type. */
export type PropTable = { readonly [prop: string]: PropType };

/** How a received value is named in an error: its type or class, never its content. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'number':
      return Number.isNaN(value) ? 'NaN' : 'a number';
    case 'function':
      return 'a function';
    case 'object': {
      const name = constructorName(value);
      return name && name !== 'Object' ? article(name) : 'an object';
    }
    default:
      return article(typeof value);
  }
}

function constructorName(value: object): string | undefined {
  try {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === 'string' && name !== '' ? name : undefined;
  } catch {
    return undefined;
  }
}

function article(word: string): string {
  return `${/^[AEIOUaeiou]/.test(word) ? 'an' : 'a'} ${word}`;
}

/** The error for a value of the wrong type. */
export function typeError(scope: ErrorScope, prop: string, expected: string, value: unknown): BlueGreenValidationError {
  return new BlueGreenValidationError(scope, prop, `expected ${expected}, got ${describeValue(value)}`);
}

function simple(expected: string, test: (value: unknown) => boolean): PropType {
  return {
    expected,
    required: false,
    check(scope, prop, value) {
      if (!test(value)) throw typeError(scope, prop, expected, value);
    },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPlainObject(value: unknown): boolean {
  if (!isObject(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Whether `value` is a `Duration`. Duck-typed on the conversions this library calls, not
 * `instanceof Duration`: an app can load two copies of aws-cdk-lib (a linked library with its
 * own node_modules), and a Duration of the other copy is a valid Duration whose class is not
 * ours. aws-cdk-lib 2.257 has no `Duration.isDuration()`, and its own constructs check no types.
 */
export function isDuration(value: unknown): boolean {
  return isObject(value) && typeof value.toSeconds === 'function' && typeof value.toMinutes === 'function'
    && typeof value.toMilliseconds === 'function';
}

/**
 * Whether `value` is a construct: `Construct.isConstruct()` (a symbol, true across copies of
 * `constructs`), or an object with a `node`, which is how an `IConstruct` implemented in another
 * jsii language arrives.
 */
export function isConstructLike(value: unknown): boolean {
  return Construct.isConstruct(value) || (isObject(value) && isObject(value.node));
}

/** Prop types. Each is optional; wrap it in {@link T.required} for a required prop. */
export const T = {
  string: simple('a string', (v) => typeof v === 'string'),
  number: simple('a number', (v) => typeof v === 'number'),
  boolean: simple('a boolean (true or false)', (v) => typeof v === 'boolean'),
  duration: simple('a Duration (e.g. Duration.minutes(5))', isDuration),
  /**
   * A plain object (a struct such as a health check or a subnet selection, JSON details): not an
   * array, and not an instance of a class (a Duration, a construct), which the user meant for
   * another prop.
   */
  object: simple('an object', isPlainObject),

  /** A construct (listener, target group, function, alarm, ...): `expected` names it. */
  construct(expected: string): PropType {
    return simple(expected, isConstructLike);
  },

  /**
   * An instance of one of this library's enum-like classes (made by its static factories):
   * `instanceof`, or, for classes this library calls methods on, an object with those methods
   * (a value from another copy of this package, or a subclass in another jsii language).
   */
  instance(expected: string, cls: { readonly prototype: object }, methods: readonly string[] = []): PropType {
    return simple(expected, (v) => (isObject(v) && cls.prototype.isPrototypeOf(v))
      || (methods.length > 0 && isObject(v) && methods.every((m) => typeof v[m] === 'function')));
  },

  /** An object of another library with the methods this library calls (e.g. a ListenerCondition). */
  shape(expected: string, methods: readonly string[]): PropType {
    return simple(expected, (v) => isObject(v) && methods.every((m) => typeof v[m] === 'function'));
  },

  /** One of a TypeScript enum's string values. */
  oneOf(name: string, values: readonly string[]): PropType {
    return simple(`a ${name} (${values.join(', ')})`, (v) => typeof v === 'string' && values.includes(v));
  },

  /** A list of `item`s; entries are named `prop[i]`. */
  list(item: PropType): PropType {
    const expected = `a list of ${item.expected.replace(/^an? /, '')} entries`;
    return {
      expected,
      required: false,
      check(scope, prop, value) {
        if (!Array.isArray(value)) throw typeError(scope, prop, expected, value);
        value.forEach((entry, i) => checkValue(scope, `${prop}[${i}]`, entry, { ...item, required: true }));
      },
    };
  },

  /** A map of names to `item`s; entries are named `prop.<name>`. */
  map(item: PropType): PropType {
    const expected = `an object mapping names to ${item.expected.replace(/^an? /, '')} values`;
    return {
      expected,
      required: false,
      check(scope, prop, value) {
        if (!isObject(value)) throw typeError(scope, prop, expected, value);
        for (const [key, entry] of Object.entries(value)) checkValue(scope, `${prop}.${key}`, entry, { ...item, required: true });
      },
    };
  },

  /** A nested props object with its own table. */
  props(expected: string, table: PropTable): PropType {
    return {
      expected,
      required: false,
      check(scope, prop, value) {
        if (!isObject(value)) throw typeError(scope, prop, expected, value);
        checkTable(scope, prop, value, table);
      },
    };
  },

  /** The same type, required. */
  required(type: PropType): PropType {
    return { ...type, required: true, check: type.check };
  },
};

function checkValue(scope: ErrorScope, prop: string, value: unknown, type: PropType): void {
  if (value === undefined || value === null) {
    if (type.required) throw new BlueGreenValidationError(scope, prop, `is required: pass ${type.expected}, got ${describeValue(value)}`);
    // null is no default in TypeScript: leaving the prop out is.
    if (value === null) throw new BlueGreenValidationError(scope, prop, `expected ${type.expected}, got null (leave the prop out for its default)`);
    return;
  }
  type.check(scope, prop, value);
}

function checkTable(scope: ErrorScope, prefix: string, props: Record<string, unknown>, table: PropTable): void {
  for (const name of Object.keys(table)) {
    checkValue(scope, prefix ? `${prefix}.${name}` : name, props[name], table[name]);
  }
}

/**
 * Checks `props` against its table: an object (required when any prop is, otherwise it may be
 * left out), each prop of the table of its type. Props outside the table are not checked.
 * @param prefix the prop path of `props` (`''` for a construct's own props, `routing` for a
 *   routing's options); also the name of the props object when it is missing
 */
export function checkProps(scope: ErrorScope, prefix: string, props: unknown, table: PropTable): void {
  const anyRequired = Object.values(table).some((t) => t.required);
  const name = prefix || 'props';
  if (props === undefined && !anyRequired) return;
  if (!isObject(props)) {
    const required = Object.keys(table).filter((k) => table[k].required);
    throw new BlueGreenValidationError(scope, name, `expected an object${required.length ? ` with ${required.join(', ')}` : ''}, got ${describeValue(props)}`);
  }
  checkTable(scope, prefix, props, table);
}

/** Checks one value (a factory argument) against its type. */
export function checkArg(scope: ErrorScope, prop: string, value: unknown, type: PropType): void {
  checkValue(scope, prop, value, type);
}
