#!/usr/bin/env node
// Generates the cdktf bindings for the IBM provider from the vendored schema subset,
// offline: no Terraform binary, no registry. `cdktf get` (online, with Terraform) writes
// the full provider into the same folder, which cdktf.json names as codeMakerOutput.
// The generator hard-codes its core (`import * as cdktf from 'cdktf';`); this script points that
// one line at src/terraform/engine.ts, so the bindings follow the engine the build swaps in
// (cdktf for lib/terraform, cdktn for lib/cdktn) instead of being generated once per engine.
'use strict';
const fs = require('fs');
const path = require('path');

// The generator otherwise reports usage to HashiCorp's checkpoint service, which runs
// `terraform version` and calls the network: neither is available nor wanted here.
process.env.CHECKPOINT_DISABLE = '1';
// @cdktf/commons probes `terraform version` when it is loaded, whether or not a binary
// exists; generating bindings needs no Terraform, so make the probe find none.
process.env.TERRAFORM_BINARY_NAME = 'iks-workload-identity-no-terraform-needed';

const { CodeMaker } = require('codemaker');
// The package root pulls in jsii-pacmak; the deep import does not.
const { TerraformProviderGenerator } = require('@cdktf/provider-generator/lib/get/generator/provider-generator');
const { ConstructsMakerProviderTarget, TerraformProviderConstraint, Language } = require('@cdktf/commons');

const root = path.resolve(__dirname, '..');
const cdktfJson = JSON.parse(fs.readFileSync(path.join(root, 'cdktf.json'), 'utf8'));
const schemaFile = path.join(root, 'provider', 'ibm-provider-schema.json');
const outdir = path.join(root, cdktfJson.codeMakerOutput);
const constraint = cdktfJson.terraformProviders[0];
const PROVIDER_VERSION = '2.5.0';

async function main() {
  const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
  const fqpn = Object.keys(schema.provider_schemas)[0];
  // Pins required_providers.version in the synthesized JSON, as `cdktf get` does.
  schema.provider_versions = { [fqpn]: PROVIDER_VERSION };
  const generator = new TerraformProviderGenerator(new CodeMaker(), schema);
  generator.generate(
    ConstructsMakerProviderTarget.from(new TerraformProviderConstraint(constraint), Language.TYPESCRIPT),
  );
  fs.rmSync(path.join(outdir, 'providers'), { recursive: true, force: true });
  await generator.save(outdir);
  const rewired = pointAtEngine(path.join(outdir, 'providers'));
  process.stdout.write(`generated ${constraint} bindings from provider/ibm-provider-schema.json into ${cdktfJson.codeMakerOutput} (${rewired} files import the core from src/terraform/engine)\n`);
}

const CORE_IMPORT = "import * as cdktf from 'cdktf';";
const ENGINE = path.join(root, 'src', 'terraform', 'engine');

/** Rewrites the core import of every generated file to the engine module; refuses any other import of cdktf. */
function pointAtEngine(dir) {
  let count = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const file = path.join(entry.parentPath ?? entry.path, entry.name);
    const text = fs.readFileSync(file, 'utf8');
    let engine = path.relative(path.dirname(file), ENGINE).split(path.sep).join('/');
    if (!engine.startsWith('.')) engine = `./${engine}`;
    const lines = text.split('\n').map((line) => (line === CORE_IMPORT ? `import * as cdktf from '${engine}';` : line));
    const rewritten = lines.join('\n');
    // A generator version that imports the core in another form would leave bindings tied to
    // cdktf while the constructs run on cdktn: stop the build instead.
    if (/from ['"]cdktf['"]|require\(['"]cdktf['"]\)/.test(rewritten)) {
      throw new Error(`${path.relative(root, file)} imports cdktf other than by the line "${CORE_IMPORT}"; update pointAtEngine for this generator version`);
    }
    if (rewritten !== text) {
      fs.writeFileSync(file, rewritten);
      count += 1;
    }
  }
  return count;
}

main().catch((err) => {
  process.stderr.write(`generate-provider: ${err.stack || err}\n`);
  process.exit(1);
});
