import type { DataFiles } from './data-files.js';

/**
 * One `DataFiles` over the product's data and an organisation's extra folders, so a rule set can
 * be loaded from both at once: paths starting with `@extra<n>/` are read from the n-th extra
 * folder, all others from the base. `@` never starts a folder of the product's own data.
 */
export class LayeredDataFiles implements DataFiles {
  constructor(
    private readonly base: DataFiles,
    private readonly extras: readonly DataFiles[],
  ) {}

  static prefix(n: number): string {
    return `@extra${n}/`;
  }

  /** The path as a person can find it: the extra folder's label instead of the prefix. */
  describe(path: string): string {
    const route = this.route(path);
    if (route.files === this.base) return path;
    const label = route.files.label ?? `extra folder ${route.n}`;
    return `${label.replace(/\/$/, '')}/${route.path}`;
  }

  read(path: string): string {
    const route = this.route(path);
    return route.files.read(route.path);
  }

  list(dir: string): string[] {
    const route = this.route(dir);
    return route.files.list(route.path);
  }

  folders(dir: string): string[] {
    const route = this.route(dir);
    return route.files.folders(route.path);
  }

  exists(path: string): boolean {
    const route = this.route(path);
    return route.files.exists(route.path);
  }

  private route(path: string): { files: DataFiles; path: string; n: number } {
    const match = /^@extra(\d+)\/(.*)$/s.exec(path);
    if (!match) return { files: this.base, path, n: -1 };
    const n = Number(match[1]);
    const files = this.extras[n];
    if (!files) throw new Error(`no extra folder ${n}`);
    return { files, path: match[2] ?? '', n };
  }
}
