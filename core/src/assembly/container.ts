import { ErrorCodes, SluiceError } from '@sluice/sdk';
import type { Container } from 'inversify';
import type { ComponentClass } from '../discovery/component-ref.js';
import type { Provider } from '../discovery/provider.js';
import type { GraphNode } from '../graph/graph-node.js';

/** @internal Binds one provider in the pipeline's container. */
export function bindProvider(container: Container, p: Provider): void {
  if (typeof p === 'function') {
    container.bind(p).toSelf().inSingletonScope();
  } else if ('useValue' in p) {
    container.bind(p.provide).toConstantValue(p.useValue);
  } else if ('useClass' in p) {
    container.bind(p.provide).to(p.useClass).inSingletonScope();
  } else if ('useFactory' in p) {
    container.bind(p.provide).toDynamicValue(p.useFactory).inSingletonScope();
  } else {
    throw new SluiceError(
      ErrorCodes.INVALID_OPTION,
      'createPipeline: a provider must be a class or { provide, useValue | useClass | useFactory }',
    );
  }
}

/** @internal Builds a node's class through the container, naming the class when it cannot. */
export function resolveNode(container: Container, node: GraphNode): unknown {
  try {
    return container.get(node.cls as ComponentClass & (new (...args: never[]) => unknown));
  } catch (err) {
    throw new SluiceError(
      ErrorCodes.INJECTION_FAILED,
      `Could not build ${node.label} for '${node.name}': ${firstLine(err)}${isInjectionError(err) ? '. Pass the services it needs in "providers" (or a module\'s providers, or the parent container)' : ''}`,
      { cause: err, details: { node: node.name, class: node.label } },
    );
  }
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0]!.replace(/[.:]\s*$/, '');
}

// The container could not find what the class asks for (the hint helps); otherwise the class's
// own constructor threw (its message says what was wrong, a hint about providers would mislead).
function isInjectionError(err: unknown): boolean {
  return (err as { constructor?: { name?: string } } | null)?.constructor?.name === 'InversifyCoreError';
}
