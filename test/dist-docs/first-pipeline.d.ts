/** One trade, as an exchange reports it. */
export interface Tick {
    symbol: string;
    price: number;
    size: number;
}
/** What the pipeline produces: one summary per symbol. */
export interface SymbolSummary {
    symbol: string;
    sector: string;
    trades: number;
    volume: number;
    vwap: number;
}
export declare const ticks: Tick[];
export declare function main(): Promise<SymbolSummary[]>;
//# sourceMappingURL=first-pipeline.d.ts.map