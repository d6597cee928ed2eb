// A pipeline of 50 stages (7 branches of 7 maps, joined by a union), fed by a paced source:
// what a dashboard must still draw legibly.
import { createPipeline, defineSource, toCallback, type ComponentRef, type Pipeline, type SluiceModule } from '@sluice/core';
import { Stage, type Mapper, type SourceConnector } from '@sluice/sdk';

export const BRANCHES = 7;
export const DEPTH = 7;
/** The stages: every branch's maps and the union. */
export const STAGE_COUNT = BRANCHES * DEPTH + 1;

class Counter implements SourceConnector<number> {
  private n = 0;

  async read(max: number): Promise<number[]> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return Array.from({ length: Math.min(max, 20) }, () => this.n++);
  }
}

function mapStage(name: string, from: string | string[]): ComponentRef {
  class Step implements Mapper<number, number> {
    map(n: number): number {
      return n + 1;
    }
  }
  Object.defineProperty(Step, 'name', { value: `Step_${name.replace(/-/g, '_')}` });
  Stage({ name, from })(Step);
  return Step;
}

/** Builds the pipeline (not started), with `modules` added. */
export function widePipeline(modules: readonly SluiceModule[] = []): Pipeline {
  const stages: ComponentRef[] = [];
  const ends: string[] = [];
  for (let b = 1; b <= BRANCHES; b++) {
    let from = 'numbers';
    for (let d = 1; d <= DEPTH; d++) {
      const name = `branch${b}-step${d}`;
      stages.push(mapStage(name, from));
      from = name;
    }
    ends.push(from);
  }
  stages.push(mapStage('merge', ends));
  return createPipeline({
    name: 'fifty-stages',
    modules,
    components: [
      defineSource<number>({ name: 'numbers' }, new Counter()),
      ...stages,
      toCallback(() => undefined, { name: 'out', from: 'merge' }),
    ],
  });
}
