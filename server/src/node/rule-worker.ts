import { workerData, type MessagePort } from 'node:worker_threads';
import { LayeredDataFiles, RuleSet, type RuleProblem } from '../engine/index.js';
import { NodeDataFiles } from './node-data-files.js';

/**
 * The worker thread of rule-sandbox.ts (bundled as dist/rule-worker.cjs): loads rule sets from
 * the same folders as the engine and evaluates one organisation's rules file per request. The
 * shared state says -id once the rule set is loaded (the time limit starts), and id when the answer
 * is on the port; each change wakes the waiting thread.
 */

interface Setup {
  port: MessagePort;
  state: Int32Array;
  schemasRoot: string;
  cacheFile?: string;
  extraFolders: string[];
}

interface Request {
  id: number;
  paths: string[];
  file: string;
  data: unknown;
  context: Parameters<RuleSet['evaluate']>[1];
}

const setup = workerData as Setup;
const files = new LayeredDataFiles(
  new NodeDataFiles(setup.schemasRoot, setup.cacheFile),
  setup.extraFolders.map((folder) => new NodeDataFiles(folder)),
);
const sets = new Map<string, RuleSet>();

setup.port.on('message', (request: Request) => {
  let reply: { id: number; findings?: unknown; problems?: RuleProblem[]; error?: string };
  try {
    const key = request.paths.join('|');
    let set = sets.get(key);
    if (!set) {
      set = RuleSet.load(files, request.paths);
      sets.set(key, set);
    }
    // Loaded: from here on the rules' own time limit applies.
    Atomics.store(setup.state, 0, -request.id);
    Atomics.notify(setup.state, 0);
    const problems: RuleProblem[] = [];
    const findings = set.evaluate(request.data, request.context, problems, undefined, (file) => file === request.file);
    reply = { id: request.id, findings, problems };
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? error.message.split('\n')[0] : String(error) };
  }
  setup.port.postMessage(reply);
  Atomics.store(setup.state, 0, request.id);
  Atomics.notify(setup.state, 0);
});
