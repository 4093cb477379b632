/** Types of bin/buildStamp.js (plain CommonJS so that bin/remediator.js needs no compiler). */
export declare const ROOT: string;
export declare function sourceHash(root?: string): string | undefined;
export declare function writeStamp(root?: string): void;
export declare function buildState(root?: string): 'fresh' | 'stale' | 'missing';
