import { isAbsolute, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Engine, Finding, Lang, Range } from '../engine/index.js';
import type { FileReport } from './file-report.js';

/**
 * SARIF 2.1.0, so CI systems (code scanning) show findings inline. Every rule carries its title,
 * explanation, policy source and policy version; every result its region (1-based, UTF-16 columns)
 * and the engine's quick fixes as SARIF fixes.
 */

type Json = Record<string, unknown>;

const LEVEL: Record<Finding['severity'], string> = { error: 'error', warning: 'warning', info: 'note' };

function region(range: Range): Json {
  return {
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}

function artifactUri(path: string, root: string): string {
  const rel = isAbsolute(path) ? relative(root, path) : path;
  return rel.split(sep).map(encodeURIComponent).join('/');
}

export function formatSarif(reports: readonly FileReport[], engine: Engine, lang: Lang, version: string, root = process.cwd()): string {
  const ruleIds = new Set<string>();
  for (const report of reports) for (const finding of report.findings) ruleIds.add(finding.id);
  const ids = [...ruleIds].sort();
  const ruleIndex = new Map(ids.map((id, i) => [id, i]));

  const rules = ids.map((id) => {
    const entry = engine.catalogue.get(id);
    const title = entry?.title[lang] ?? id;
    const explanation = entry?.explanation?.[lang];
    const provenance = engine.catalogue.provenance(id);
    const versionText = engine.catalogue.provenanceText(id, lang);
    const help = [
      title,
      explanation,
      entry ? `${lang === 'nl' ? 'Bron' : 'Source'}: ${entry.fullSource}` : undefined,
      provenance?.policyTitle ? `${lang === 'nl' ? 'Beleid' : 'Policy'}: ${provenance.policyTitle[lang]}` : undefined,
      versionText ? `${lang === 'nl' ? 'Beleidsversie' : 'Policy version'}: ${versionText}` : undefined,
    ]
      .filter(Boolean)
      .join('\n\n');
    return {
      id,
      name: id,
      shortDescription: { text: title },
      ...(explanation ? { fullDescription: { text: explanation } } : {}),
      help: { text: help },
      defaultConfiguration: { level: LEVEL[engine.defaultSeverity(id)] },
      properties: {
        source: entry?.fullSource ?? 'zorgtoets',
        ...(entry?.version ? { policyVersion: entry.version } : {}),
        ...(provenance?.amendment ? { policyAmendment: provenance.amendment } : {}),
        ...(provenance?.latestAmendment ? { policyAmendmentsIncluded: provenance.latestAmendment } : {}),
        ...(provenance?.policyTitle ? { policyTitle: provenance.policyTitle[lang] } : {}),
        insurer: entry?.insurer ?? 'zorgtoets',
        ...(entry?.no_deviation ? { noDeviation: true } : {}),
      },
    };
  });

  const artifacts: Json[] = [];
  const results: Json[] = [];
  reports.forEach((report) => {
    if (!report.ours) return;
    const uri = artifactUri(report.path, root);
    const artifactIndex = artifacts.length;
    artifacts.push({ location: { uri, uriBaseId: '%SRCROOT%' } });
    const location = (range: Range) => ({ physicalLocation: { artifactLocation: { uri, uriBaseId: '%SRCROOT%', index: artifactIndex }, region: region(range) } });
    for (const finding of report.findings) {
      results.push({
        ruleId: finding.id,
        ruleIndex: ruleIndex.get(finding.id),
        level: LEVEL[finding.severity],
        message: { text: finding.message },
        locations: [location(finding.range)],
        ...(finding.related && finding.related.length > 0
          ? {
              // A related location in another file (cross-document checks) names that file.
              relatedLocations: finding.related.map((r, id) => ({
                id,
                ...(r.uri && r.uri !== report.path ? { physicalLocation: { artifactLocation: { uri: artifactUri(r.uri, root), uriBaseId: '%SRCROOT%' }, region: region(r.range) } } : location(r.range)),
                message: { text: r.message },
              })),
            }
          : {}),
        ...(finding.fixes && finding.fixes.length > 0
          ? {
              fixes: finding.fixes.map((fix) => ({
                description: { text: fix.title },
                artifactChanges: [
                  {
                    artifactLocation: { uri, uriBaseId: '%SRCROOT%', index: artifactIndex },
                    replacements: fix.edits.map((edit) => ({ deletedRegion: region(edit.range), insertedContent: { text: edit.newText } })),
                  },
                ],
              })),
            }
          : {}),
        // A justified deviation is not silence: the result stays, marked as suppressed in source
        // with the provider's explanation as the justification a reviewer reads.
        ...(finding.deviation
          ? { suppressions: [{ kind: 'inSource', status: 'accepted', justification: finding.deviation.toelichting }] }
          : {}),
        properties: {
          source: finding.source,
          path: finding.path,
          ...(finding.underlying ? { onderliggendeEis: finding.underlying } : {}),
          ...(finding.deviation ? { originalSeverity: finding.deviation.originalSeverity, deviationIndex: finding.deviation.index } : {}),
        },
      });
    }
  });

  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'zorgtoets',
            version,
            semanticVersion: version,
            language: lang,
            rules,
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileURL(root).href.replace(/\/?$/, '/')}` } },
        columnKind: 'utf16CodeUnits',
        artifacts,
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
