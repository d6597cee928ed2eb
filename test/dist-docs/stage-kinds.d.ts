/** An order, filled in one or more parts. */
export interface Order {
    id: string;
    symbol: string;
    fills: {
        price: number;
        size: number;
    }[];
}
/** One part of an order. */
export interface Fill {
    order: string;
    symbol: string;
    price: number;
    size: number;
}
interface PricedFill extends Fill {
    notional: number;
}
export interface VenueFill extends PricedFill {
    venue: string;
}
export interface Volume {
    symbol: string;
    fills: number;
    size: number;
}
export declare const orders: Order[];
export declare function main(): Promise<{
    large: string[];
    best: string[];
    volume: Volume[];
    segments: Record<string, readonly string[]>;
}>;
export {};
//# sourceMappingURL=stage-kinds.d.ts.map