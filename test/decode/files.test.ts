// Reading files without trusting them: encodings by BOM, regular files only, size caps.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { decodeText, excerpt, readRegularFile, ReadError } from '../../src/decode/files';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iks-wi-files-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('decodeText', () => {
  test.each([
    ['UTF-8 BOM', Buffer.from([0xef, 0xbb, 0xbf, 0x6b, 0xc3, 0xa9])],
    ['UTF-16 LE BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('ké', 'utf16le')])],
    ['UTF-16 BE BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('ké', 'utf16le').swap16()])],
    ['no BOM (UTF-8)', Buffer.from('ké')],
  ])('%s decodes to the text without the mark', (_label, bytes) => {
    // GIVEN the bytes of "ké"
    // WHEN decoded
    // THEN the text
    expect(decodeText(bytes)).toBe('ké');
  });
});

describe('readRegularFile', () => {
  test('reads a regular file up to the cap', () => {
    // GIVEN a 10-byte file
    const file = path.join(dir, 'ten');
    fs.writeFileSync(file, '0123456789');
    // WHEN read with a cap of exactly 10
    // THEN its bytes
    expect(readRegularFile(file, 10).toString()).toBe('0123456789');
  });

  test('refuses one byte over the cap', () => {
    // GIVEN the same file
    const file = path.join(dir, 'eleven');
    fs.writeFileSync(file, '0123456789a');
    // WHEN read with a cap of 10
    // THEN refused naming the size
    expect(() => readRegularFile(file, 10)).toThrow('larger than 10 bytes');
  });

  test('refuses a directory, a dangling symlink and /dev/null through a symlink', () => {
    // GIVEN each
    const dangling = path.join(dir, 'dangling.yaml');
    fs.symlinkSync(path.join(dir, 'nowhere'), dangling);
    const devnull = path.join(dir, 'null.yaml');
    fs.symlinkSync('/dev/null', devnull);
    // WHEN read
    // THEN ReadErrors naming what they are
    expect(() => readRegularFile(dir, 100)).toThrow('a directory; only regular files are read');
    expect(() => readRegularFile(dangling, 100)).toThrow('a symlink to nothing');
    expect(() => readRegularFile(devnull, 100)).toThrow(ReadError);
  });
});

describe('excerpt', () => {
  test('quotes at most 60 characters on one line', () => {
    // GIVEN a long multi-line text
    // WHEN excerpted
    const e = excerpt(`${'a'.repeat(100)}\n${'b'.repeat(100)}`);
    // THEN short, quoted, one line
    expect(e.length).toBeLessThanOrEqual(65);
    expect(e).not.toContain('\n');
  });
});
