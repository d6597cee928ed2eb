export interface Tick {
    symbol: string;
    size: number;
}
export interface RichTick extends Tick {
    sector: string;
}
/** Reference data, injected by its class. */
export declare class RefData {
    private readonly sectors;
    sector(symbol: string): Promise<string>;
}
/** Where the sink stores rows, injected by its class. */
export declare class TradeStore {
    readonly rows: RichTick[];
}
/** Plain values are injected by a token. */
export declare const TICKS: unique symbol;
export declare const MIN_SIZE: unique symbol;
export declare const ticks: Tick[];
/** Way 1: list the components and give the services as providers. */
export declare function withProviders(): Promise<RichTick[]>;
/** Way 2: the application already has a container; register the components in it. */
export declare function withContainer(): Promise<RichTick[]>;
export declare function main(): Promise<{
    withProviders: RichTick[];
    withContainer: RichTick[];
}>;
//# sourceMappingURL=injection.d.ts.map