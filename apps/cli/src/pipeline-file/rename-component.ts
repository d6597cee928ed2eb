import { getCompositeMetadata, getSinkMetadata, getSourceMetadata, getStageMetadata } from '@sluice/sdk';

type AnyClass = abstract new (...args: never[]) => unknown;

/** reflect-metadata's API (loaded by @sluice/sdk), typed for the few calls made here. */
const metadata = Reflect as unknown as {
  getOwnMetadataKeys(target: object): unknown[];
  getOwnMetadata(key: unknown, target: object): unknown;
  defineMetadata(key: unknown, value: unknown, target: object): void;
};

const ROLE_KEYS = ['stage', 'source', 'sink', 'composite'].map((r) => Symbol.for(`@sluice/sdk:${r}`));

/**
 * A subclass of `cls` whose decorator options carry another name: how a pipeline file's `name:`
 * gives a node a name its class did not choose. Every metadata of the class (its other decorators,
 * its constructor injection) is copied, so the subclass builds and behaves as the class does.
 */
export function renameComponent(cls: AnyClass, name: string): AnyClass {
  // A subclass, not a change of `cls`: another entry (or another pipeline) may use the class as it is.
  const Renamed = class extends (cls as unknown as new (...args: never[]) => object) {};
  Object.defineProperty(Renamed, 'name', { value: cls.name });
  for (const key of metadata.getOwnMetadataKeys(cls)) metadata.defineMetadata(key, metadata.getOwnMetadata(key, cls), Renamed);
  for (const key of ROLE_KEYS) {
    const options = metadata.getOwnMetadata(key, cls) as Record<string, unknown> | undefined;
    if (options !== undefined) metadata.defineMetadata(key, { ...options, name }, Renamed);
  }
  return Renamed;
}

/** The node name a component class (or connector definition) declares. */
export function componentName(component: unknown): string | undefined {
  if (typeof component === 'function') {
    const cls = component as AnyClass;
    return (getStageMetadata(cls) ?? getSourceMetadata(cls) ?? getSinkMetadata(cls) ?? getCompositeMetadata(cls))?.name;
  }
  const name = (component as { options?: { name?: unknown } } | null)?.options?.name;
  return typeof name === 'string' ? name : undefined;
}
