/**
 * The engine's public door. Adapters (CLI, language server, export) import from here only.
 * Nothing behind this door imports LSP, VS Code, or the file system.
 */
export { Engine, type CheckOptions, type CheckResult, type CrossInput, type EngineOptions, type Summary } from './engine.js';
export type { CrossEntry } from './cross-rules.js';
export { CrossEntryTable } from './cross-entry-table.js';
export { compareValues } from './cross-entry-table.js';
export { compareFindings } from './finding-order.js';
export type { Deviation, DeviationStatus, RawDeviation } from './deviations.js';
export { SeverityOverrideError } from './severity-overrides.js';
export type { Catalogue, CatalogueEntry, Example, ExampleEdit, InsurerInfo, Localized, Provenance } from './catalogue.js';
export { DataFileError, type DataFiles } from './data-files.js';
export type { ExtraRuleEvaluator, ExtraRuleOutcome, ExtraRuleRequest } from './extra-rules.js';
export { LayeredDataFiles } from './layered-data-files.js';
export { RuleSet, type RuleContext, type RuleFinding, type RuleProblem } from './rules.js';
export type { FormManifest, FormVersion, FormsRegistry } from './forms.js';
export { DEFAULT_LIMITS, type Limits } from './limits.js';
export { formatPath, parsePathPattern, resolvePath, valueAt } from './paths.js';
export type { RawFinding } from './raw-finding.js';
export { TextIndex } from './text-index.js';
export type { DataPath, Finding, Fix, FixKind, Lang, Position, Range, RelatedLocation, Severity, TextEdit } from './types.js';
export { applyTextEdits } from './text-edits.js';
export { deviationEdit } from './deviation-edit.js';
export { fixAll, type AppliedFix, type FixAllOptions, type FixAllResult, type SkippedFix } from './fix-all.js';
export { applyExampleEdits, describeEdits, exampleFindings, examplePartner, expectedPath, type ExamplePartner } from './examples.js';
export { complete, type CompletionEntry } from './completion.js';
export { hover, type HoverInfo } from './hover.js';
export { outline, type OutlineSymbol } from './symbols.js';
export { complianceSummary, requirementsStatus, type ComplianceSummary, type RequirementState, type RequirementStatus } from './compliance.js';
export { quickHeader } from './document-header.js';
export type { ParsedSubmission } from './parse.js';
