// The README is the front door and docs/ holds the reference: a moved or renamed page must not
// leave a dead link behind. Every relative link in README.md and docs/**/*.md must name a file
// of this repository and, when it has a #fragment, a heading of that file (GitHub's slugs).
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

function markdownFiles(): string[] {
  const out = [path.join(ROOT, 'README.md')];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.md')) out.push(p);
    }
  };
  walk(path.join(ROOT, 'docs'));
  return out.sort();
}

/** The text outside fenced code blocks. */
function withoutFences(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
}

/** The text outside fenced code blocks and inline code, where a `[x](y)` is a link. */
function prose(markdown: string): string {
  return withoutFences(markdown).replace(/`[^`\n]*`/g, '');
}

/** GitHub's heading anchors (lower case, punctuation dropped, spaces to hyphens, repeats numbered) and explicit ones. */
export function headingSlugs(markdown: string): Set<string> {
  const slugs = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of withoutFences(markdown).replace(/`([^`\n]*)`/g, '$1').split('\n')) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = m[1].replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    slugs.add(n === 0 ? base : `${base}-${n}`);
  }
  // Explicit anchors (<a id="...">), as typedoc writes into docs/API.md.
  for (const m of withoutFences(markdown).matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) slugs.add(m[1]);
  return slugs;
}

interface Link { readonly file: string; readonly target: string }

function relativeLinks(file: string): Link[] {
  const links: Link[] = [];
  for (const m of prose(fs.readFileSync(file, 'utf8')).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = m[1];
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:: not ours to check offline
    links.push({ file, target });
  }
  return links;
}

function brokenReason(link: Link): string | undefined {
  const [pathPart, fragment] = link.target.split('#', 2);
  const resolved = pathPart === '' ? link.file : path.resolve(path.dirname(link.file), decodeURIComponent(pathPart));
  if (!resolved.startsWith(ROOT + path.sep) && resolved !== ROOT) return 'points outside the repository';
  if (!fs.existsSync(resolved)) return 'no such file';
  if (fragment !== undefined && resolved.endsWith('.md') && !headingSlugs(fs.readFileSync(resolved, 'utf8')).has(fragment)) {
    return `no heading #${fragment} in ${path.relative(ROOT, resolved)}`;
  }
  return undefined;
}

describe('documentation links', () => {
  test('every relative link in the README and docs names an existing file and heading', () => {
    // GIVEN every Markdown page of the documentation
    const links = markdownFiles().flatMap(relativeLinks);
    // WHEN each relative link is resolved
    const broken = links.flatMap((l) => {
      const reason = brokenReason(l);
      return reason === undefined ? [] : [`${path.relative(ROOT, l.file)}: (${l.target}) ${reason}`];
    });
    // THEN none is dead
    expect(links.length).toBeGreaterThan(10);
    expect(broken).toEqual([]);
  });

  test('the README links to every page under docs/', () => {
    // GIVEN the README, the front door, and the pages under docs/ (guides are reached through their index)
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const pages = markdownFiles().filter((f) => f.startsWith(path.join(ROOT, 'docs') + path.sep) && !f.includes(`${path.sep}guides${path.sep}`)
      && !f.endsWith(`${path.sep}docs${path.sep}README.md`));
    // WHEN the README's links are collected
    const linked = new Set(relativeLinks(path.join(ROOT, 'README.md')).map((l) => path.resolve(ROOT, l.target.split('#')[0])));
    // THEN every reference page is reachable from it
    expect(pages.filter((p) => !linked.has(p)).map((p) => path.relative(ROOT, p))).toEqual([]);
    expect(readme.length).toBeLessThan(20_000);
  });

  test('the slug function follows GitHub for punctuation, code and repeated headings', () => {
    // GIVEN headings with punctuation, inline code and a repeat
    const slugs = headingSlugs('# The `check` command\n## Exit status: 0, 1, 2\n## Notes\n## Notes\n```\n# not a heading\n```\n');
    // THEN they map as GitHub maps them
    expect([...slugs]).toEqual(['the-check-command', 'exit-status-0-1-2', 'notes', 'notes-1']);
  });
});
