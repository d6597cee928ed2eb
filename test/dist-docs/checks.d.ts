export declare function main(): Promise<{
    case: string;
    code: string;
    message: string;
}[]>;
//# sourceMappingURL=checks.d.ts.map