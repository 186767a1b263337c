/**
 * One match condition of a VPC Lattice listener rule: the request path, a request header, or the
 * HTTP method. A rule matches when all its conditions do.
 */
export class VpcLatticeCondition {
  /** Requests whose path starts with `prefix` (e.g. `/api`). */
  public static pathPrefix(prefix: string, caseSensitive?: boolean): VpcLatticeCondition {
    return new VpcLatticeCondition('path', { prefix }, caseSensitive, prefix);
  }

  /** Requests whose path is exactly `path`. */
  public static pathExact(path: string, caseSensitive?: boolean): VpcLatticeCondition {
    return new VpcLatticeCondition('path', { exact: path }, caseSensitive, path);
  }

  /** Requests carrying header `name` with exactly `value`. */
  public static header(name: string, value: string, caseSensitive?: boolean): VpcLatticeCondition {
    return new VpcLatticeCondition('header', { exact: value }, caseSensitive, value, name);
  }

  /** Requests carrying header `name` whose value starts with `prefix`. */
  public static headerPrefix(name: string, prefix: string, caseSensitive?: boolean): VpcLatticeCondition {
    return new VpcLatticeCondition('header', { prefix }, caseSensitive, prefix, name);
  }

  /** Requests carrying header `name` whose value contains `text`. */
  public static headerContains(name: string, text: string, caseSensitive?: boolean): VpcLatticeCondition {
    return new VpcLatticeCondition('header', { contains: text }, caseSensitive, text, name);
  }

  /** Requests with this HTTP method (CONNECT, DELETE, GET, HEAD, OPTIONS, POST, PUT or TRACE). */
  public static method(method: string): VpcLatticeCondition {
    return new VpcLatticeCondition('method', {}, undefined, method);
  }

  /** @internal */
  public readonly _field: 'path' | 'header' | 'method';
  /** @internal */
  public readonly _match: { exact?: string; prefix?: string; contains?: string };
  /** @internal */
  public readonly _caseSensitive?: boolean;
  /** @internal */
  public readonly _value: string;
  /** @internal */
  public readonly _headerName?: string;

  private constructor(field: 'path' | 'header' | 'method', match: { exact?: string; prefix?: string; contains?: string },
    caseSensitive: boolean | undefined, value: string, headerName?: string) {
    this._field = field;
    this._match = match;
    this._caseSensitive = caseSensitive;
    this._value = value;
    this._headerName = headerName;
  }
}
