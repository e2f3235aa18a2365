// filesWrittenBy runs a framework that writes its own files (cdktf) against a private folder and
// hands back what it wrote, so the caller can replace the real folder atomically.
import * as fs from 'fs';
import * as path from 'path';
import { filesWrittenBy } from '../../src';

describe('filesWrittenBy', () => {
  test('returns every file written, by sorted relative path, and removes the folder', () => {
    // GIVEN a writer that makes nested files out of order
    let used = '';
    // WHEN its output is collected
    const files = filesWrittenBy((dir) => {
      used = dir;
      fs.mkdirSync(path.join(dir, 'stacks', 'b'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'stacks', 'b', 'cdk.tf.json'), '{}');
      fs.writeFileSync(path.join(dir, 'manifest.json'), '[]');
      fs.mkdirSync(path.join(dir, 'stacks', 'a'));
      fs.writeFileSync(path.join(dir, 'stacks', 'a', 'cdk.tf.json'), '{"a":1}');
    });
    // THEN the files come back by relative path in code-unit order, and nothing is left on disk
    expect([...files]).toEqual([['manifest.json', '[]'], ['stacks/a/cdk.tf.json', '{"a":1}'], ['stacks/b/cdk.tf.json', '{}']]);
    expect(fs.existsSync(used)).toBe(false);
  });

  test('removes the folder and passes the error on when the writer throws', () => {
    // GIVEN a writer that fails after writing a file
    let used = '';
    // WHEN its output is collected
    const run = () => filesWrittenBy((dir) => {
      used = dir;
      fs.writeFileSync(path.join(dir, 'half.json'), '{');
      throw new Error('validation failed');
    });
    // THEN the error reaches the caller and the half-written folder is gone
    expect(run).toThrow('validation failed');
    expect(fs.existsSync(used)).toBe(false);
  });
});
