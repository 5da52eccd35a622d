/** Types of scripts/bootstrap.mjs (plain JavaScript so that Node 20 can run it before any install). */
export declare function installDrift(lockText: string, installedText: string | null): string | null;
