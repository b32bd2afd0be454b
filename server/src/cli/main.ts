import { existsSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { DataFileError, type Engine, type Lang } from '../engine/index.js';
import { didYouMean } from '../engine/did-you-mean.js';
import { ConfigError, isIsoDate } from '../node/config.js';
import { localToday, productVersion } from '../node/create-engine.js';
import { productRoot } from '../node/node-data-files.js';
import { Workspace, type Preferences } from '../node/workspace.js';
import { runCheck } from './check-command.js';
import { runExport } from './export-command.js';
import { explain } from './explain-command.js';
import { collectTargets, UsageError } from './file-walk.js';
import { formatFixReport, runFix } from './fix-command.js';
import { runCheckParallel, workerCount, workerScript } from './parallel-check.js';
import { formatJson } from './report-json.js';
import { formatSarif } from './report-sarif.js';
import { formatText } from './report-text.js';

/**
 * The `zorgtoets` command line: a thin adapter over the engine. Exit codes: 0 = no errors,
 * 1 = errors found, 2 = usage or I/O error.
 */

const USAGE = `zorgtoets — toetst zorginkoop-aanvragen aan de minimumeisen van zorgverzekeraars

Gebruik:
  zorgtoets check <bestanden|mappen…> [--format text|json|sarif] [--lang nl|en] [--peildatum JJJJ-MM-DD] [--jobs N]
  zorgtoets fix <bestanden|mappen…> [--dry-run]     veilige snelle oplossingen toepassen (--dry-run: alleen een diff)
  zorgtoets forms [--lang nl|en]
  zorgtoets explain <ID> [--lang nl|en]
  zorgtoets new <formulier> [-o bestand] [--overwrite]
  zorgtoets export <bestand> --naar xlsx|docx|pdf|csv|md [--soort <soort>] [-o bestand]
                   [--force] [--overwrite] [--lang nl|en] [--peildatum JJJJ-MM-DD]

Export:
  --naar      het formaat; zonder --naar volgt het uit de extensie van -o
  --soort     welke export, als het formulier er meer heeft (vgz/rho-regioplan: offerteformat
              (xlsx), regioplan (docx, pdf, md)); elk formulier heeft rapport (pdf, md, docx):
              het nalevingsrapport. Standaard: de eerste soort die het formaat kent.
  -o          het uitvoerbestand; standaard <bestand>.<soort>.<formaat> naast de aanvraag
  --force     exporteer ook met fouten; elke pagina en elk blad krijgt dan
              "concept — voldoet niet aan alle minimumeisen"
  --overwrite vervang een bestaand uitvoerbestand (anders: vragen, of weigeren buiten een terminal)

Check: veel bestanden worden over alle processorkernen verdeeld; --jobs N kiest het aantal (1 = één
tegelijk). De uitkomst is dezelfde.

Instellingen: .zorgtoets.yaml in de map van het bestand of een map erboven (taal, peildatum,
extra_regels, ernst); --config <bestand> kiest er een. Opties op de opdrachtregel gaan voor.

Exitcodes: 0 = geen fouten, 1 = fouten gevonden, 2 = verkeerd gebruik, leesfout of ongeldige instellingen.`;

interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const COMMANDS = ['check', 'fix', 'forms', 'explain', 'new', 'export', 'help'];

export function main(argv: readonly string[], io: Io = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }): number | Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f', default: 'text' },
        lang: { type: 'string' },
        peildatum: { type: 'string' },
        config: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        output: { type: 'string', short: 'o' },
        overwrite: { type: 'boolean', default: false },
        naar: { type: 'string' },
        soort: { type: 'string' },
        force: { type: 'boolean', default: false },
        jobs: { type: 'string', short: 'j' },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (error) {
    io.stderr(`zorgtoets: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    io.stdout(`${productVersion()}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === 'help') {
    io.stdout(`${USAGE}\n`);
    return command === undefined && !values.help ? 2 : 0;
  }
  if (!COMMANDS.includes(command)) {
    const suggestion = didYouMean(command, COMMANDS);
    io.stderr(`zorgtoets: onbekende opdracht "${command}"${suggestion ? `; bedoelt u "${suggestion}"?` : ''}\n\n${USAGE}\n`);
    return 2;
  }
  // Language: --lang, else ZORGTOETS_LANG (the person's own choice), else the configuration's taal.
  const chosenLang = values.lang ?? (process.env['ZORGTOETS_LANG'] || undefined);
  if (chosenLang !== undefined && chosenLang !== 'nl' && chosenLang !== 'en') {
    io.stderr(`zorgtoets: ${values.lang !== undefined ? '--lang' : 'ZORGTOETS_LANG'} moet nl of en zijn, niet "${chosenLang}"\n`);
    return 2;
  }
  if (values.peildatum !== undefined && !isIsoDate(values.peildatum)) {
    io.stderr(`zorgtoets: --peildatum moet een datum JJJJ-MM-DD zijn, niet "${values.peildatum}"\n`);
    return 2;
  }
  if (values.config !== undefined && !existsSync(values.config)) {
    io.stderr(`zorgtoets: --config: ${values.config} bestaat niet\n`);
    return 2;
  }
  const jobs = values.jobs === undefined ? availableParallelism() : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) {
    io.stderr(`zorgtoets: --jobs moet een geheel getal van 1 of meer zijn, niet "${values.jobs ?? ''}"\n`);
    return 2;
  }
  const preferences: Preferences = {
    ...(chosenLang ? { lang: chosenLang } : {}),
    ...(values.peildatum ? { peildatum: values.peildatum } : {}),
    ...(values.config ? { configPath: values.config } : {}),
  };
  const workspace = new Workspace(preferences);

  let engine: Engine;
  let lang: Lang;
  try {
    const setup = workspace.setupFor(process.cwd());
    engine = setup.engine;
    lang = setup.lang;
  } catch (error) {
    return setupFailed(error, io);
  }

  try {
    switch (command) {
      case 'check':
        return check(workspace, engine, rest, lang, values.format ?? 'text', io, { preferences, jobs });
      case 'fix':
        return fix(workspace, rest, lang, values['dry-run'] ?? false, io);
      case 'forms':
        io.stdout(listForms(engine, lang));
        return 0;
      case 'explain':
        if (rest.length !== 1) throw new UsageError('explain verwacht één ID, bijvoorbeeld: zorgtoets explain VGZ-RHO-04c');
        io.stdout(explain(engine, rest[0] ?? '', lang, productRoot(), localToday()));
        return 0;
      case 'new':
        return newSubmission(engine, rest, values.output, values.overwrite ?? false, lang, io);
      case 'export':
        return runExport(
          engine,
          rest,
          {
            force: values.force ?? false,
            overwrite: values.overwrite ?? false,
            lang,
            ...(values.naar !== undefined ? { naar: values.naar } : {}),
            ...(values.soort !== undefined ? { soort: values.soort } : {}),
            ...(values.output !== undefined ? { output: values.output } : {}),
            ...(values.peildatum !== undefined ? { peildatum: values.peildatum } : {}),
          },
          io,
        ).catch((error: unknown) => {
          if (error instanceof UsageError) {
            io.stderr(`zorgtoets: ${error.message}\n`);
            return 2;
          }
          throw error;
        });
      default:
        return 2;
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`zorgtoets: ${error.message}\n`);
      return 2;
    }
    if (error instanceof ConfigError || error instanceof DataFileError) return setupFailed(error, io);
    throw error;
  }
}

/** A configuration file or data folder that cannot be used: exit 2 with the file and field. */
function setupFailed(error: unknown, io: Io): number {
  if (error instanceof ConfigError) io.stderr(`zorgtoets: ongeldige instellingen in ${error.message}\n`);
  else io.stderr(`zorgtoets: de gegevens van zorgtoets zelf zijn ongeldig: ${error instanceof DataFileError ? error.message : String(error)}\n`);
  return 2;
}

function check(workspace: Workspace, engine: Engine, paths: string[], lang: Lang, format: string, io: Io, parallel: { preferences: Preferences; jobs: number }): number | Promise<number> {
  if (paths.length === 0) throw new UsageError('check verwacht bestanden of mappen, bijvoorbeeld: zorgtoets check samples');
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format moet text, json of sarif zijn, niet "${format}"`);
  const today = localToday();
  // Many files: on worker threads, with the same output (parallel-check.ts).
  const script = workerScript();
  const targets = script ? collectTargets(paths) : [];
  const workers = workerCount(targets.length, parallel.jobs);
  if (script && workers > 0) {
    return runCheckParallel(workspace, targets, today, parallel.preferences, workers, script).then(
      (reports) => report(reports, engine, lang, format, io),
      (error: unknown) => {
        if (error instanceof ConfigError || error instanceof DataFileError) return setupFailed(error, io);
        throw error;
      },
    );
  }
  return report(runCheck(workspace, paths, today), engine, lang, format, io);
}

function report(reports: ReturnType<typeof runCheck>, engine: Engine, lang: Lang, format: string, io: Io): number {
  const version = productVersion();
  if (format === 'json') io.stdout(formatJson(reports, version));
  else if (format === 'sarif') io.stdout(formatSarif(reports, engine, lang, version));
  else io.stdout(formatText(reports, engine, lang));
  return reports.some((r) => r.findings.some((f) => f.severity === 'error')) ? 1 : 0;
}

function fix(workspace: Workspace, paths: string[], lang: Lang, dryRun: boolean, io: Io): number {
  if (paths.length === 0) throw new UsageError('fix verwacht bestanden of mappen, bijvoorbeeld: zorgtoets fix regioplan.yaml --dry-run');
  const reports = runFix(workspace, paths, { today: localToday(), dryRun });
  const summary = formatFixReport(reports, lang, dryRun);
  if (dryRun) {
    // The diff alone on stdout, so it can be applied with `git apply` or `patch -p1`.
    io.stdout(reports.map((r) => r.diff).join(''));
    io.stderr(summary);
  } else io.stdout(summary);
  if (reports.some((r) => r.refused === 'write')) return 2;
  return reports.some((r) => r.after.errors > 0) ? 1 : 0;
}

function listForms(engine: Engine, lang: Lang): string {
  const lines = engine.forms.formIds().map((form) => {
    const manifest = engine.forms.manifest(form);
    return `${form.padEnd(28)} ${engine.forms.years(form).join(', ').padEnd(12)} ${manifest?.title[lang] ?? ''}`;
  });
  return `${lines.join('\n')}\n`;
}

function newSubmission(engine: Engine, args: string[], output: string | undefined, overwrite: boolean, lang: Lang, io: Io): number {
  const form = args[0];
  if (!form || args.length > 1) throw new UsageError('new verwacht één formulier, bijvoorbeeld: zorgtoets new vgz/rho-regioplan -o regioplan.yaml');
  const version = engine.forms.latest(form);
  if (!version) {
    const suggestion = engine.forms.suggestForm(form);
    throw new UsageError(`onbekend formulier "${form}"${suggestion ? `; bedoelt u ${suggestion}?` : ''}; bekend: ${engine.forms.formIds().join(', ')}`);
  }
  const text = engine.template(version).text;
  if (!output) {
    io.stdout(text);
    return 0;
  }
  if (existsSync(output) && !overwrite) throw new UsageError(`${output} bestaat al; gebruik --overwrite om het te vervangen`);
  try {
    writeFileSync(output, text, { flag: overwrite ? 'w' : 'wx' });
  } catch (error) {
    throw new UsageError(`kan ${output} niet schrijven: ${error instanceof Error ? error.message : String(error)}`);
  }
  // The year the template itself declares: a provisional newest year (checked with an earlier
  // year's rules) keeps a template for the year the policy describes.
  const year = engine.identify(text).year ?? version.year;
  io.stderr(lang === 'nl' ? `${output} aangemaakt (${form} ${year}); beantwoord de vragen en controleer met: zorgtoets check ${output}\n` : `${output} created (${form} ${year}); answer the questions and check with: zorgtoets check ${output}\n`);
  return 0;
}
