import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Lang } from '../engine/index.js';
import type { InitializationOptions, ServerSettings } from './protocol.js';
import { allowedExtraFolders, isTrusted } from './workspace-trust.js';

/** The server's effective settings, from initialization options and the client's configuration. */
export interface EffectiveSettings {
  lang: Lang;
  peildatum?: string;
  extraFolders: string[];
  debounceMs: number;
  /** False in an untrusted workspace: then `extraFolders` is empty, whatever was configured. */
  trusted: boolean;
}

export const DEFAULT_DEBOUNCE_MS = 150;

export function effectiveSettings(init: InitializationOptions, configured: ServerSettings | null | undefined, rootUri: string | null | undefined): EffectiveSettings {
  const merged: InitializationOptions = { ...init, ...stripUndefined(configured ?? {}) };
  const lang: Lang = merged.taal === 'en' ? 'en' : 'nl';
  const peildatum = typeof merged.peildatum === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(merged.peildatum) ? merged.peildatum : undefined;
  const root = rootUri?.startsWith('file:') ? fileURLToPath(rootUri) : undefined;
  const extraFolders = (Array.isArray(merged.extraSchemaFolders) ? merged.extraSchemaFolders : [])
    .filter((f): f is string => typeof f === 'string' && f.trim() !== '')
    .map((f) => (isAbsolute(f) || !root ? f : resolve(root, f)));
  const debounce = Number(init.debounceMs);
  const trusted = isTrusted(merged.workspaceTrusted);
  return {
    lang,
    ...(peildatum ? { peildatum } : {}),
    extraFolders: allowedExtraFolders(extraFolders, trusted),
    trusted,
    debounceMs: Number.isFinite(debounce) && debounce >= 0 ? debounce : DEFAULT_DEBOUNCE_MS,
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;
}
