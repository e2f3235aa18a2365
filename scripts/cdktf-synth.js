#!/usr/bin/env node
// Runs `cdktf synth` the way this project promises it works: offline and without Terraform.
// cdktf-cli otherwise reports usage over the network and probes `terraform version`; a
// Terraform binary on the machine would be run, though synth never needs it.
'use strict';
const { spawnSync } = require('child_process');
const path = require('path');

const cli = path.join(path.dirname(require.resolve('cdktf-cli/package.json')), 'bundle', 'bin', 'cdktf');
const env = {
  ...process.env,
  CHECKPOINT_DISABLE: '1',
  TERRAFORM_BINARY_NAME: 'iks-workload-identity-no-terraform-needed',
  CI: process.env.CI ?? '1', // no spinner: plain log lines
};
const result = spawnSync(process.execPath, [cli, 'synth', ...process.argv.slice(2)], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
