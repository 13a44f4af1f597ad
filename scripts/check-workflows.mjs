// Validates the GitHub Actions workflows (.github/workflows/*.yml) against SchemaStore's
// JSON Schema for workflows (https://json.schemastore.org/github-workflow.json), with Ajv,
// and checks what this repository needs of them: CI runs .ci/run on Node 20 and 22, the
// release uses the Changesets action with the permissions that npm provenance needs.
// Every failure names the file and the line of the offending key.
//
// SchemaStore is not reachable from where verify runs (only the npm registry is); the
// schema comes from the npm package @action-validator/core, which embeds SchemaStore's
// workflow schema verbatim in its WebAssembly module (its own validator is built on it).
//
//   node scripts/check-workflows.mjs [file.yml ...]
//
// The last line printed is `N passed, M failed`: one test per workflow file's schema
// check and one per requirement.
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { LineCounter, isMap, isSeq, parseDocument } from 'yaml';
import { root } from './published-packages.mjs';

export const WORKFLOW_SCHEMA_ID = 'https://json.schemastore.org/github-workflow.json';

/** SchemaStore's workflow schema, as embedded in @action-validator/core. */
export function workflowSchema() {
  const require = createRequire(import.meta.url);
  const wasm = readFileSync(require.resolve('@action-validator/core/action_validator_bg.wasm'));
  const id = wasm.indexOf(`"$id": "${WORKFLOW_SCHEMA_ID}"`);
  if (id === -1) throw new Error(`@action-validator/core no longer embeds ${WORKFLOW_SCHEMA_ID}`);
  // Pretty-printed JSON: the object opens with `{` and closes with `}` at a line's start.
  const start = wasm.lastIndexOf('\n{', id) + 1;
  const end = wasm.indexOf('\n}', id) + 2;
  return JSON.parse(wasm.subarray(start, end).toString('utf8'));
}

let validator;
function validate(data) {
  // The schema's `format`s (uri, …) are left to GitHub; the structure is what is checked.
  validator ??= new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(
    workflowSchema(),
  );
  return validator(data) ? [] : validator.errors;
}

/** The 1-based line of the YAML node at a JSON pointer (or of its nearest parent). */
function lineOf(doc, lineCounter, pointer) {
  const path = pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node = doc.contents;
  let line = node?.range ? lineCounter.linePos(node.range[0]).line : 1;
  for (const key of path) {
    let next;
    if (isMap(node)) {
      const pair = node.items.find((item) => String(item.key?.value ?? item.key) === key);
      // Point at the key: the value of a bad key may be on the lines below it.
      if (pair?.key?.range) line = lineCounter.linePos(pair.key.range[0]).line;
      next = pair?.value;
    } else if (isSeq(node)) {
      next = node.items[Number(key)];
      if (next?.range) line = lineCounter.linePos(next.range[0]).line;
    }
    if (!next) break;
    node = next;
  }
  return line;
}

/** Ajv's message for one error. */
function describeError(error) {
  if (error.keyword === 'additionalProperties') {
    return `unknown key '${error.params.additionalProperty}'`;
  }
  if (error.keyword === 'enum') {
    return `${error.message} (${error.params.allowedValues.join(', ')})`;
  }
  return error.message;
}

/**
 * Checks one workflow's text: `[]` if it is valid, else `['line: message', …]`. Where a
 * key is wrong, Ajv also reports every enclosing `oneOf` that failed because of it: only
 * the deepest errors are kept, one line per key, with what each branch tried says.
 */
export function checkWorkflowText(text) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) {
    return doc.errors.map((error) => `${error.linePos?.[0]?.line ?? 1}: ${error.message}`);
  }
  const errors = validate(doc.toJS()).filter((e) => !/^(oneOf|anyOf)$/.test(e.keyword));
  const paths = [...new Set(errors.map((e) => e.instancePath))];
  const deepest = paths.filter((path) => !paths.some((p) => p.startsWith(`${path}/`)));
  return deepest.map((path) => {
    const here = errors.filter((e) => e.instancePath === path);
    // An unknown key is the likeliest culprit: point at its line.
    const unknown = here.find((e) => e.keyword === 'additionalProperties');
    const at = unknown ? `${path}/${unknown.params.additionalProperty}` : path;
    const messages = [...new Set(here.map(describeError))].join('; ');
    return `${lineOf(doc, lineCounter, at)}: ${path || '(top level)'}: ${messages}`;
  });
}

/** What this repository needs of its workflows, as `[description, holds]` pairs. */
export function requirements(workflows) {
  const ci = workflows['ci.yml'];
  const release = workflows['release.yml'];
  const steps = (workflow) =>
    Object.values(workflow?.jobs ?? {}).flatMap((job) =>
      Array.isArray(job.steps) ? job.steps : [],
    );
  const triggers = (workflow) => Object.keys(workflow?.on ?? {});
  const ciNodes = Object.values(ci?.jobs ?? {}).flatMap((job) =>
    (job.strategy?.matrix?.node ?? []).map(String),
  );
  return [
    ['ci.yml exists', ci !== undefined],
    [
      'ci.yml runs on pushes and pull requests',
      triggers(ci).includes('push') && triggers(ci).includes('pull_request'),
    ],
    ['ci.yml runs .ci/run', steps(ci).some((step) => /\.ci\/run\b/.test(step.run ?? ''))],
    ['ci.yml runs on Node 20 and 22', ciNodes.includes('20') && ciNodes.includes('22')],
    ['release.yml exists', release !== undefined],
    [
      'release.yml uses changesets/action',
      steps(release).some((step) => /^changesets\/action@/.test(step.uses ?? '')),
    ],
    [
      'release.yml may write contents and pull requests and get an id token (npm provenance)',
      release?.permissions?.['id-token'] === 'write' &&
        release?.permissions?.contents === 'write' &&
        release?.permissions?.['pull-requests'] === 'write',
    ],
    [
      'release.yml publishes with the NPM_TOKEN secret',
      steps(release).some((step) => /secrets\.NPM_TOKEN/.test(JSON.stringify(step.env ?? {}))),
    ],
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = join(root, '.github', 'workflows');
  const args = process.argv.slice(2);
  const files =
    args.length > 0
      ? args.map((file) => resolve(file))
      : readdirSync(dir)
          .filter((name) => /\.ya?ml$/.test(name))
          .map((name) => join(dir, name));
  let passed = 0;
  let failed = 0;
  const parsed = {};
  for (const file of files) {
    const name = relative(root, file);
    const text = readFileSync(file, 'utf8');
    const problems = checkWorkflowText(text);
    if (problems.length === 0) {
      passed++;
      console.log(`ok   ${name}: valid against ${WORKFLOW_SCHEMA_ID}`);
      parsed[file.split('/').pop()] = parseDocument(text).toJS();
    } else {
      failed++;
      for (const problem of problems) console.error(`FAIL ${name}:${problem}`);
    }
  }
  if (args.length === 0) {
    for (const [description, holds] of requirements(parsed)) {
      if (holds) passed++;
      else failed++;
      (holds ? console.log : console.error)(`${holds ? 'ok  ' : 'FAIL'} ${description}`);
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}
