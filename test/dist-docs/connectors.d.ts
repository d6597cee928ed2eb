import { type SinkConnector, type SourceConnector, type SourceContext } from '@sluice/sdk';
export interface Tick {
    symbol: string;
    price: number;
}
/**
 * A feed that pretends to be a network connection: it drops once after 4 records and asks
 * to slow down once after 8. The engine handles both; the records arrive once each, in order.
 */
export declare class TickFeed implements SourceConnector<Tick> {
    private readonly ticks;
    opens: number;
    private next;
    private connected;
    private dropped;
    private throttled;
    constructor(ticks: readonly Tick[]);
    open(_ctx: SourceContext): void;
    read(max: number): Tick[];
    close(): void;
}
/** A sink that writes lines to an audit log; its second write fails once with a lost connection. */
export declare class AuditSink implements SinkConnector<Tick> {
    readonly lines: string[];
    readonly calls: string[];
    private writes;
    open(ctx: {
        name: string;
    }): void;
    write(batch: readonly Tick[]): void;
    flush(): void;
    close(): void;
}
export declare const ticks: Tick[];
export declare function main(): Promise<{
    lines: string[];
    sinkCalls: string[];
    feedOpens: number;
    recordsRead: number;
}>;
//# sourceMappingURL=connectors.d.ts.map