import type { ServiceIdentifier } from 'inversify';

/**
 * A user service for constructor injection: a value, a class or a factory under a token.
 *
 * @example
 * ```ts
 * providers: [RefData, { provide: REF_DATA_URL, useValue: 'http://localhost:8080' }]
 * ```
 * @public
 */
export type Provider =
  | (abstract new (...args: never[]) => unknown)
  | { provide: ServiceIdentifier; useValue: unknown }
  | { provide: ServiceIdentifier; useClass: new (...args: never[]) => unknown }
  | { provide: ServiceIdentifier; useFactory: () => unknown };
