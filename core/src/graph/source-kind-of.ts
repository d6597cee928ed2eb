import { ErrorCodes, SluiceError } from '@sluice/sdk';

/** @internal How a source delivers: answering `read(max)` (pull) or calling an emitter (push). */
export type SourceKind = 'pull' | 'push';

/**
 * @internal Tells a source's kind from the methods it implements (on a class's prototype, or on a
 * definition's instance): `subscribe` makes it a push source. Both `read` and `subscribe` is refused.
 */
export function sourceKindOf(methods: object | undefined, name: string, label: string): SourceKind {
  const has = (m: string) => typeof (methods as Record<string, unknown> | undefined)?.[m] === 'function';
  if (!has('subscribe')) return 'pull';
  if (has('read')) {
    throw new SluiceError(
      ErrorCodes.GRAPH_UNKNOWN_KIND,
      `Source '${name}' (${label}) implements both read() (a pull source) and subscribe() (a push source); a source is exactly one of them`,
      { details: { source: name, class: label } },
    );
  }
  return 'push';
}
