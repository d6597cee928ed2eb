export interface Trade {
    id: string;
    symbol: string;
    size: number;
}
export declare const nyse: Trade[];
export declare const lse: Trade[];
export declare function main(): Promise<{
    pipeline1: string[];
    pipeline2: string[];
    audit: string[];
    segments: Record<string, readonly string[]>;
}>;
//# sourceMappingURL=graph.d.ts.map