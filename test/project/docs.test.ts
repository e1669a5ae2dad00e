/**
 * Docs that reach users outside this repository: API.md (and so the .d.ts and the Python/Java/Go docstrings, which come
 * from the same JSDoc), and the README that becomes every package's README.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** The public source files whose JSDoc jsii publishes (src/private is not exported). */
function publicSources(dir = path.join(ROOT, 'src')): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return ['private', 'handler', 'backfill'].includes(entry.name) ? [] : publicSources(full);
    }
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('published docs', () => {
  test('no JSDoc escape (`*\\/`, needed to write `*/` inside a comment) reaches API.md or a public doc comment', () => {
    expect(read('API.md')).not.toContain('*\\/');
    // And in the doc comments of every public source file, which the .d.ts files of the npm package keep.
    const leaks = publicSources().filter(file => /^\s*\*.*\*\\\//m.test(fs.readFileSync(file, 'utf8')));
    expect(leaks.map(f => path.relative(ROOT, f))).toEqual([]);
  });

  test('README links to repository files with absolute URLs (its copies in the npm, PyPI, Maven and Go packages have no docs/)', () => {
    const relative = [...read('README.md').matchAll(/\]\((?!https?:|#)([^)]+)\)/g)].map(m => m[1]);
    expect(relative).toEqual([]);
  });

  test('README examples avoid what jsii-rosetta mistranslates: several statements on one line, indexing a list', () => {
    const snippets = [...read('README.md').matchAll(/```ts\n([\s\S]*?)```/g)].map(m => m[1]);
    expect(snippets.length).toBeGreaterThan(5);
    for (const snippet of snippets) {
      // `a.b; c.d;` on one line becomes `a.bc.d` in Python.
      expect(snippet).not.toMatch(/^[^/'"\n]*;[ \t]*[A-Za-z_][\w.]*;/m);
      // `list[0]` of a jsii array property becomes `getList()[0]` in Java, where it is a List.
      expect(snippet).not.toMatch(/\b(ingestSegments|keyPatterns|publicKeyIds)\[\d+\]/);
    }
  });

  test('docs/security.md lists every checkov check the library skips, and each cdk-nag rule the tests acknowledge', () => {
    const security = read('docs/security.md');
    const checkov = [...publicSources(), ...fs.readdirSync(path.join(ROOT, 'src', 'private')).map(f => path.join(ROOT, 'src', 'private', f))]
      .filter(f => f.endsWith('.ts')).map(f => fs.readFileSync(f, 'utf8')).join('\n');
    const skipped = new Set([...checkov.matchAll(/'(CKV_AWS_\d+)'/g)].map(m => m[1]));
    expect(skipped.size).toBeGreaterThan(5);
    for (const id of skipped) {
      expect(security).toContain(id);
    }
    const nag = new Set([...read('test/constructs/nag.test.ts').matchAll(/AwsSolutions-([A-Z]+\d+)/g)].map(m => m[1]));
    for (const rule of nag) {
      expect(security).toContain(rule);
    }
  });
});
