import { ErrorCodes, SluiceError, STAGE_KIND_METHODS, type StageKind } from '@sluice/sdk';
import type { ComponentClass } from '../discovery/component-ref.js';

/** @internal Tells a stage's kind from the methods its class implements; exactly one must match. */
export function stageKindOf(cls: ComponentClass, stageName: string): StageKind {
  const proto = cls.prototype as Record<string, unknown>;
  const has = (m: string) => typeof proto[m] === 'function';
  const kinds = (Object.keys(STAGE_KIND_METHODS) as StageKind[]).filter((k) => STAGE_KIND_METHODS[k].every(has));
  if (kinds.length === 1) return kinds[0]!;
  const all = Object.values(STAGE_KIND_METHODS)
    .map((ms) => ms.join('+'))
    .join(', ');
  const why =
    kinds.length === 0
      ? `implements none of the stage methods (${all})`
      : `implements the methods of several stage kinds (${kinds.join(', ')}); a stage must be exactly one kind`;
  throw new SluiceError(ErrorCodes.GRAPH_UNKNOWN_KIND, `Stage '${stageName}' (class ${cls.name}) ${why}`, {
    details: { stage: stageName, class: cls.name, kinds },
  });
}
