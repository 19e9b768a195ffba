/** Types of deps.js (CommonJS, so that jest.cdktn.config.js and .ci/run load it without a TypeScript loader). */
export declare function depsDir(): string;
export declare function installed(): string | undefined;
export declare function ensureDeps(): { nodeModules: string; installedNow: boolean; seconds: number };
export declare function versions(): { cdktn: string; '@cdktn/provider-aws': string; constructs: string };
