// scripts/go-readme.ts: the Go module's README (written by jsii-pacmak) leads with the hand-written Go example of
// test/consumers/go/app.go, copied verbatim, and says that the examples after it are machine translations.
// scripts/ci/go-consumer.sh checks the real dist/go README the same way after packaging.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  BLOCK_END, BLOCK_START, EXAMPLE_PATH, exampleBlock, extractExample, leadWithExample, rewriteGoReadme,
} from '../../scripts/go-readme';

const GO_SOURCE = [
  '// A sample app.',
  'package main',
  '',
  '// go-readme:begin (copied into the README)',
  '',
  'import (',
  '\t"github.com/aws/aws-cdk-go/awscdk/v2"',
  ')',
  '',
  '// go-readme:end',
  '',
  'const Hidden = "not in the README"',
  '',
  'func build(stack awscdk.Stack) {',
  '\t// go-readme:begin',
  '\tgroup := vod.NewPackagingGroup(stack, jsii.String("Group"), nil)',
  '',
  '\tgroup.AddAsset(jsii.String("Movie"), nil)',
  '\t// go-readme:end',
  '}',
  '',
].join('\n');

const EXAMPLE = [
  'import (',
  '\t"github.com/aws/aws-cdk-go/awscdk/v2"',
  ')',
  '',
  '\tgroup := vod.NewPackagingGroup(stack, jsii.String("Group"), nil)',
  '',
  '\tgroup.AddAsset(jsii.String("Movie"), nil)',
].join('\n');

// What jsii-pacmak writes: the title, prose, then sections whose TypeScript rosetta translated to Go.
const PACMAK_README = [
  '# cdk-mediapackage-vod',
  '',
  'AWS CDK v2 L2 constructs for AWS Elemental MediaPackage VOD.',
  '',
  '## At a glance',
  '',
  '```go',
  'import "github.com/aws/aws-cdk-go/awscdk"',
  '',
  'group := cdkmediapackagevod.NewPackagingGroup(this, jsii.String("Vod"))',
  '```',
  '',
].join('\n');

/** The ```go blocks of a README, in order. */
function goBlocks(readme: string): string[] {
  return [...readme.matchAll(/^```go\n([\s\S]*?)\n```$/gm)].map(m => m[1]);
}

describe('extractExample', () => {
  test('copies every marked region verbatim (indentation kept, markers and outer blank lines dropped), joined by one empty line', () => {
    expect(extractExample(GO_SOURCE)).toBe(EXAMPLE);
  });

  test('a region without its end fails, naming the file', () => {
    expect(() => extractExample('package main\n// go-readme:begin\nfunc f() {}\n', 'x/app.go'))
      .toThrow("x/app.go: '// go-readme:begin' without a '// go-readme:end' after it");
  });

  test('an end without a begin fails, naming the line', () => {
    expect(() => extractExample('package main\nfunc f() {}\n// go-readme:end\n', 'x/app.go'))
      .toThrow("x/app.go:3: '// go-readme:end' without a '// go-readme:begin' before it");
  });

  test('a begin inside an open region fails', () => {
    expect(() => extractExample('// go-readme:begin\na\n\t// go-readme:begin\nb\n// go-readme:end\n', 'x/app.go'))
      .toThrow("x/app.go:3: '// go-readme:begin' inside a region already open");
  });

  test('an empty region fails', () => {
    expect(() => extractExample('// go-readme:begin\n\n// go-readme:end\n', 'x/app.go')).toThrow('x/app.go:3: empty region');
  });

  test('a source without markers fails (the README would lead with nothing)', () => {
    expect(() => extractExample('package main\n', 'x/app.go'))
      .toThrow("x/app.go: no '// go-readme:begin' ... '// go-readme:end' region");
  });
});

describe('leadWithExample', () => {
  const result = leadWithExample(PACMAK_README, EXAMPLE);

  test('right after the title: the sentence about the translations, then the example, before any translated snippet', () => {
    const lines = result.split('\n');
    expect(lines.slice(0, 3)).toEqual(['# cdk-mediapackage-vod', '', BLOCK_START]);
    const intro = result.slice(result.indexOf(BLOCK_START), result.indexOf('```go'));
    expect(intro.replace(/\s+/g, ' ')).toMatch(/The Go examples after this one, .* are machine translations .* may not compile as-is\./);
    expect(intro).toContain(EXAMPLE_PATH);
    // The first Go block is the example itself, exactly; the translated one comes after it.
    expect(goBlocks(result)).toEqual([EXAMPLE, 'import "github.com/aws/aws-cdk-go/awscdk"\n\n' +
      'group := cdkmediapackagevod.NewPackagingGroup(this, jsii.String("Vod"))']);
    expect(result.indexOf(BLOCK_END)).toBeLessThan(result.indexOf('## At a glance'));
  });

  test('the rest of the README is kept as it was', () => {
    expect(result).toBe(`# cdk-mediapackage-vod\n\n${exampleBlock(EXAMPLE)}\n\n${PACMAK_README.split('\n').slice(2).join('\n')}`);
  });

  test('a second run replaces the block (no second copy); a changed example replaces the old one', () => {
    expect(leadWithExample(result, EXAMPLE)).toBe(result);
    const changed = leadWithExample(result, 'func other() {}');
    expect(changed.split(BLOCK_START)).toHaveLength(2);
    expect(goBlocks(changed)[0]).toBe('func other() {}');
    expect(changed).not.toContain('NewPackagingGroup(stack');
  });

  test('a README without a title fails', () => {
    expect(() => leadWithExample('no title here\n\n## At a glance\n', EXAMPLE)).toThrow("README: no title (a line starting with '# ')");
  });

  test('a block from an earlier run without its end fails', () => {
    expect(() => leadWithExample(`# t\n\n${BLOCK_START}\nhalf\n`, EXAMPLE)).toThrow(`README: '${BLOCK_START}' without '${BLOCK_END}'`);
  });
});

describe('rewriteGoReadme (what package:go runs after jsii-pacmak)', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'go-readme-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('rewrites the README file in place from the Go file', () => {
    const goFile = join(dir, 'app.go');
    const readme = join(dir, 'README.md');
    writeFileSync(goFile, GO_SOURCE);
    writeFileSync(readme, PACMAK_README);
    expect(rewriteGoReadme(goFile, readme)).toBe(`go-readme: ${readme} leads with the 7-line example of ${goFile}`);
    expect(readFileSync(readme, 'utf8')).toBe(leadWithExample(PACMAK_README, EXAMPLE));
  });

  test('the real consumer app: its imports (aws-cdk-go with /v2) and NewConsumerVodStack, each line as in app.go', () => {
    const source = readFileSync(join(__dirname, '..', '..', EXAMPLE_PATH), 'utf8');
    const example = extractExample(source);
    expect(example).toMatch(/^import \(\n/);
    expect(example).toContain('\t"github.com/aws/aws-cdk-go/awscdk/v2"\n');
    expect(example).not.toMatch(/"github\.com\/aws\/aws-cdk-go\/awscdk"/);
    expect(example).toContain('\nfunc NewConsumerVodStack(scope constructs.Construct, id string) *ConsumerVodStack {\n');
    expect(example).toMatch(/\n\treturn s\n}$/);
    expect(example).not.toContain('go-readme:');
    // Verbatim: the regions' lines appear in app.go in the same order.
    const sourceLines = source.split('\n');
    let at = 0;
    for (const line of example.split('\n').filter(l => l !== '')) {
      const found = sourceLines.indexOf(line, at);
      expect({ line, found: found >= 0 }).toEqual({ line, found: true });
      at = found + 1;
    }
  });
});
