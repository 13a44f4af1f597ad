import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import {
  WORKFLOW_SCHEMA_ID,
  checkWorkflowText,
  requirements,
  workflowSchema,
} from './check-workflows.mjs';
import { root } from './published-packages.mjs';

const valid = `name: CI
on:
  push:
    branches: [main]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: bash .ci/run
`;

test('the schema is SchemaStore workflow schema', () => {
  const schema = workflowSchema();
  expect(schema.$id).toBe(WORKFLOW_SCHEMA_ID);
  expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
  expect(schema.required).toEqual(expect.arrayContaining(['on', 'jobs']));
});

describe('checkWorkflowText', () => {
  test('a valid workflow passes', () => {
    expect(checkWorkflowText(valid)).toEqual([]);
  });

  test('a misspelt key is reported at its line', () => {
    const text = valid.replace(
      '      - run: bash .ci/run',
      '      - run: bash .ci/run\n        wiht: {}',
    );
    expect(checkWorkflowText(text)).toEqual([`11: /jobs/test/steps/1: unknown key 'wiht'`]);
  });

  test('a value of the wrong type is reported at its line', () => {
    const text = valid.replace(
      '    runs-on: ubuntu-latest',
      '    runs-on: ubuntu-latest\n    timeout-minutes: soon',
    );
    const problems = checkWorkflowText(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^8: \/jobs\/test\/timeout-minutes: must be number/);
  });

  test('a workflow without jobs, or with broken YAML, fails', () => {
    expect(checkWorkflowText('name: x\non: push\n')).toEqual([
      "1: (top level): must have required property 'jobs'",
    ]);
    expect(checkWorkflowText('jobs: [\n')[0]).toMatch(/^\d+: /);
  });
});

test("the repository's workflows meet its requirements, and a CI without Node 22 does not", () => {
  const read = (name) => parse(readFileSync(join(root, '.github', 'workflows', name), 'utf8'));
  const workflows = { 'ci.yml': read('ci.yml'), 'release.yml': read('release.yml') };
  expect(requirements(workflows).filter(([, holds]) => !holds)).toEqual([]);

  const ci = structuredClone(workflows['ci.yml']);
  ci.jobs.verify.strategy.matrix.node = [20];
  const release = structuredClone(workflows['release.yml']);
  delete release.permissions['id-token'];
  const failing = requirements({ 'ci.yml': ci, 'release.yml': release })
    .filter(([, holds]) => !holds)
    .map(([description]) => description);
  expect(failing).toEqual([
    'ci.yml runs on Node 20 and 22',
    'release.yml may write contents and pull requests and get an id token (npm provenance)',
  ]);
});
