import { type SluiceModule } from '@sluice/core';
export interface Tick {
    symbol: string;
    price: number;
    size: number;
}
export interface PricedTick extends Tick {
    notional: number;
}
export declare class CleanTicks {
}
export declare const CleaningModule: SluiceModule;
export declare const ticks: Tick[];
export declare function main(): Promise<{
    out: PricedTick[];
    stages: string[];
    segments: Record<string, readonly string[]>;
}>;
//# sourceMappingURL=composite.d.ts.map