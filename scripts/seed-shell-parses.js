#!/usr/bin/env node
// Writes lib/rules/shell/parse-seed.json (run by `npm run build` after tsc and copy-assets): the
// parses the command analysis makes of the library's own token-fetch script (the script, and
// the texts it hands to `trap`), and the parser's operator numbers, made by the compiled parser
// code with the installed mvdan-sh, so `check` and `synth` need not load mvdan-sh to analyse
// the script every token-fetch Job runs (src/rules/shell/syntax.ts).
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const shell = path.join(root, 'lib', 'rules', 'shell');
const { PARSE_SEED_FILE } = require(path.join(shell, 'syntax.js'));
// A seed of an earlier build must not seed this one: the parses below are made anew.
fs.rmSync(path.join(shell, PARSE_SEED_FILE), { force: true });
const { learnOperators, parsedSoFar, parserVersion } = require(path.join(shell, 'syntax.js'));
const { analyzeCommand } = require(path.join(shell, 'analyze.js'));
const { text } = require(path.join(shell, 'words.js'));

const script = fs.readFileSync(path.join(root, 'lib', 'k8s', 'token-fetch.sh'), 'utf8');
// The Job's command and variables (src/k8s/token-fetch-job.ts), so the analysis walks the
// script as it does for a Job, parsing what it parses there.
const tokenFile = '/var/run/secrets/tokens/sa-token';
const analysis = analyzeCommand([[text('/bin/sh')], [text('-c')], [text(script)]], {
  tokens: { files: [tokenFile], dirs: [path.posix.dirname(tokenFile)] },
  env: new Map([['IBMCLOUD_CR_TOKEN', `@${tokenFile}`], ['IBMCLOUD_CR_PROFILE', 'profile'], ['TOKEN_FETCH_URL', 'https://iam.cloud.ibm.com/identity/token']]),
});
if (analysis.leaks.length > 0) throw new Error(`the token-fetch script fails its own analysis: ${JSON.stringify(analysis.leaks)}`);
const scripts = parsedSoFar();
if (!scripts.some((s) => s.text === script)) throw new Error('the analysis did not parse the token-fetch script');
const seed = { parser: parserVersion(), operators: learnOperators(), scripts };
fs.writeFileSync(path.join(shell, PARSE_SEED_FILE), `${JSON.stringify(seed)}\n`);
