import type { Plugin } from 'esbuild';

/** Every UTF-16 unit above U+00FF replaced by one ASCII character. */
export function toLatin1(text: string): string;
/** The bundle with its comments in Latin-1, or undefined when that would change more than comments. */
export function latin1Bundle(code: string): Promise<string | undefined>;
/** The esbuild plugin; `root` is the build's absWorkingDir. */
export function latin1Comments(root: string): Plugin;
