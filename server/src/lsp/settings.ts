import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Lang } from '../engine/index.js';
import type { InitializationOptions, ServerSettings } from './protocol.js';
import { allowedExtraFolders, isTrusted } from './workspace-trust.js';

/**
 * The server's effective settings, from initialization options and the client's configuration.
 * They are the person's choices: what a workspace's `.zorgtoets.yaml` says applies unless an
 * editor setting was set explicitly (language, peildatum); extra folders are added to the file's.
 */
export interface EffectiveSettings {
  /** Only when the editor setting was set: it then wins over the file's `taal`. */
  lang?: Lang;
  peildatum?: string;
  extraFolders: string[];
  debounceMs: number;
  /**
   * False in an untrusted workspace: then `extraFolders` is empty, whatever was configured, and no
   * `.zorgtoets.yaml` brings extra rules either.
   */
  trusted: boolean;
}

export const DEFAULT_DEBOUNCE_MS = 150;

export function effectiveSettings(init: InitializationOptions, configured: ServerSettings | null | undefined, rootUri: string | null | undefined): EffectiveSettings {
  // The configured section, when there is one, is the whole truth about the user's settings: a
  // setting the user removed must not fall back to what the client sent at start. Trust is not a
  // setting but the workspace's state: what the client said at start holds until it says otherwise.
  const merged: InitializationOptions = configured ? { debounceMs: init.debounceMs, workspaceTrusted: init.workspaceTrusted, ...stripUndefined(configured) } : init;
  const lang: Lang | undefined = merged.taal === 'en' || merged.taal === 'nl' ? merged.taal : undefined;
  const peildatum = typeof merged.peildatum === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(merged.peildatum) ? merged.peildatum : undefined;
  const root = rootUri?.startsWith('file:') ? fileURLToPath(rootUri) : undefined;
  const extraFolders = (Array.isArray(merged.extraSchemaFolders) ? merged.extraSchemaFolders : [])
    .filter((f): f is string => typeof f === 'string' && f.trim() !== '')
    .map((f) => (isAbsolute(f) || !root ? f : resolve(root, f)));
  const debounce = Number(init.debounceMs);
  const trusted = isTrusted(merged.workspaceTrusted);
  return {
    ...(lang ? { lang } : {}),
    ...(peildatum ? { peildatum } : {}),
    extraFolders: allowedExtraFolders(extraFolders, trusted),
    trusted,
    debounceMs: Number.isFinite(debounce) && debounce >= 0 ? debounce : DEFAULT_DEBOUNCE_MS,
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;
}
