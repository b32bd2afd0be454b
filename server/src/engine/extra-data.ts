import type { Catalogue } from './catalogue.js';
import { DataFileError, type DataFiles } from './data-files.js';
import type { FormsRegistry, FormVersion } from './forms.js';
import { RuleSet } from './rules.js';

/**
 * An organisation's own rules next to the insurers': extra folders, each holding
 * `requirements/*.yaml` (extra catalogue entries, e.g. ORG-… IDs) and
 * `<insurer>/<form-name>.rules.yaml` (rules added to that form for every contract year).
 * Broken extra data never breaks the built-in checks: each problem is kept (file and field) and
 * reported, and the rest goes on.
 */
export class ExtraData {
  /** Problems with the extra folders themselves and their catalogue files. */
  readonly problems: DataFileError[] = [];
  private readonly ruleSets = new Map<string, { sets: RuleSet[]; problems: DataFileError[] }>();

  constructor(
    private readonly folders: readonly DataFiles[],
    private readonly catalogue: Catalogue,
    private readonly forms: FormsRegistry,
  ) {
    folders.forEach((files, i) => {
      const label = ExtraData.label(files, i);
      const problem = this.guard(label, () => {
        if (!files.exists('')) throw new DataFileError(label, '', 'map bestaat niet');
        this.problems.push(...catalogue.addExtra(files, label));
        // A rules file for a form that does not exist would silently do nothing: say so.
        for (const insurer of files.folders('')) {
          if (insurer === 'requirements') continue;
          for (const name of files.list(insurer).filter((n) => n.endsWith('.rules.yaml'))) {
            const form = `${insurer}/${name.slice(0, -'.rules.yaml'.length)}`;
            if (!forms.manifest(form)) {
              this.problems.push(new DataFileError(`${label}/${insurer}/${name}`, '', `geen bekend formulier ${form}; bekend: ${forms.formIds().join(', ')}`));
            }
          }
        }
      });
      if (problem) this.problems.push(problem);
    });
  }

  static label(files: DataFiles, index: number): string {
    return files.label ?? `extra[${index}]`;
  }

  get count(): number {
    return this.folders.length;
  }

  /** The extra rule sets for a form version, loaded once per form, and what failed to load. */
  rulesFor(version: FormVersion): { sets: RuleSet[]; problems: DataFileError[] } {
    const form = version.manifest.form;
    let found = this.ruleSets.get(form);
    if (!found) {
      found = { sets: [], problems: [] };
      const lists = this.forms.rules(version).lists;
      this.folders.forEach((files, i) => {
        const path = `${form}.rules.yaml`;
        const shown = `${ExtraData.label(files, i)}/${path}`;
        const problem = this.guard(shown, () => {
          if (!files.exists(path)) return;
          const set = RuleSet.load(prefixed(files, ExtraData.label(files, i)), [shown], lists);
          for (const id of set.ids()) {
            if (!this.catalogue.has(id)) throw new DataFileError(shown, 'rules', `regel noemt onbekend ID ${id} (niet in de catalogus, ook niet in de eigen requirements/)`);
          }
          found?.sets.push(set);
        });
        if (problem) found?.problems.push(problem);
      });
      this.ruleSets.set(form, found);
    }
    return found;
  }

  private guard(label: string, action: () => void): DataFileError | undefined {
    try {
      action();
      return undefined;
    } catch (error) {
      return error instanceof DataFileError ? error : new DataFileError(label, '', error instanceof Error ? error.message : String(error));
    }
  }
}

/** The folder's files under `<label>/…`, so messages about them name the extra folder. */
function prefixed(files: DataFiles, label: string): DataFiles {
  const strip = (path: string) => (path.startsWith(`${label}/`) ? path.slice(label.length + 1) : path);
  return {
    read: (path) => files.read(strip(path)),
    list: (dir) => files.list(strip(dir)),
    folders: (dir) => files.folders(strip(dir)),
    exists: (path) => files.exists(strip(path)),
    label,
  };
}
