export declare const COUNT = 10000;
export declare const BATCH = 100;
export declare const CAPACITY = 300;
export declare function main(): Promise<{
    received: number;
    inOrder: boolean;
    maxAhead: number;
    channel: import("@sluice/sdk").ChannelStats;
    source: import("@sluice/sdk").SourceStats;
}>;
//# sourceMappingURL=backpressure.d.ts.map