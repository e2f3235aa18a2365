// The Terraform suite runs twice (jest.config.js: projects cdktf and cdktn). These tests make
// sure each run really uses the engine it is named after, so a broken mapping cannot turn the
// CDK Terrain run into a second cdktf run that proves nothing.
import * as fs from 'fs';
import * as path from 'path';
import { App, TerraformStack } from 'cdktf';
import * as engine from '../../src/terraform/engine';

declare const IWI_ENGINE: 'cdktf' | 'cdktn';

function packageNameOf(resolved: string): string {
  let dir = path.dirname(resolved);
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name;
}

describe(`the engine of this run (${IWI_ENGINE})`, () => {
  test('is the package the project is named after', () => {
    // GIVEN the core the tests import as `cdktf`
    // WHEN it is resolved the way this project resolves it
    const name = packageNameOf(require.resolve('cdktf'));

    // THEN it is the project's engine
    expect(name).toBe(IWI_ENGINE);
  });

  test('is the core the constructs and the generated bindings use', () => {
    // GIVEN the engine module of src/terraform
    // WHEN its stack class is compared with the tests' own
    // THEN they are the same class, so a stack made here holds the library's constructs
    expect(engine.TerraformStack).toBe(TerraformStack);
    expect(new TerraformStack(new App(), 'check')).toBeInstanceOf(engine.TerraformStack);
  });
});
