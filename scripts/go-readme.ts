// Puts the hand-written, tested Go example at the top of the Go module's README (dist/go/cdkmediapackagevod/README.md).
//
// jsii-pacmak writes that README from README.md, whose TypeScript examples jsii-rosetta translates to Go: approximate,
// not always compilable. Right after the README's title this script adds one sentence saying so, then the Go example
// copied verbatim from the consumer app CI compiles and tests (test/consumers/go/app.go, the lines between its
// `// go-readme:begin` and `// go-readme:end` comments; several regions are joined by an empty line), so the example
// cannot drift from code that builds. Run by the package:go task after jsii-pacmak; scripts/ci/go-consumer.sh checks the
// result against app.go.
//
//   ts-node --project tsconfig.dev.json scripts/go-readme.ts [app.go] [README.md]
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';

/** The comment lines (trimmed) that open and close a region of the Go source copied into the README. */
export const BEGIN_MARKER = '// go-readme:begin';
export const END_MARKER = '// go-readme:end';

/** The HTML comments around the inserted block (so that a second run replaces it instead of adding another). */
export const BLOCK_START = '<!-- go-readme: hand-written Go example (scripts/go-readme.ts) -->';
export const BLOCK_END = '<!-- go-readme: end -->';

/** Where the example's source lives in the repository (named, with a link, in the README). */
export const EXAMPLE_PATH = 'test/consumers/go/app.go';
// The repository's address as package.json gives it (.projenrc.ts sets it), without `git+` and `.git`.
const REPOSITORY_URL = String(JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')).repository.url).replace(/^git\+/, '').replace(/\.git$/, '');
const EXAMPLE_URL = `${REPOSITORY_URL}/blob/main/${EXAMPLE_PATH}`;

/**
 * The lines of `source` between each `// go-readme:begin` comment and the next `// go-readme:end` (markers excluded,
 * indentation kept), regions joined by one empty line. Throws when there is no region, a region is empty, or the
 * markers are unbalanced.
 */
export function extractExample(source: string, file = EXAMPLE_PATH): string {
  const regions: string[][] = [];
  let current: string[] | undefined;
  source.split(/\r?\n/).forEach((line, index) => {
    const marker = line.trim();
    const where = `${file}:${index + 1}`;
    if (marker.startsWith(BEGIN_MARKER)) {
      if (current) throw new Error(`${where}: '${BEGIN_MARKER}' inside a region already open`);
      current = [];
    } else if (marker.startsWith(END_MARKER)) {
      if (!current) throw new Error(`${where}: '${END_MARKER}' without a '${BEGIN_MARKER}' before it`);
      if (current.every(l => l.trim() === '')) throw new Error(`${where}: empty region`);
      regions.push(current);
      current = undefined;
    } else if (current) {
      current.push(line);
    }
  });
  if (current) throw new Error(`${file}: '${BEGIN_MARKER}' without a '${END_MARKER}' after it`);
  if (regions.length === 0) throw new Error(`${file}: no '${BEGIN_MARKER}' ... '${END_MARKER}' region`);
  return regions.map(r => trimBlankLines(r).join('\n')).join('\n\n');
}

function trimBlankLines(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start].trim() === '') start++;
  while (end > start && lines[end - 1].trim() === '') end--;
  return lines.slice(start, end);
}

/** The block inserted after the README's title: the sentence about the translations, then the example. */
export function exampleBlock(example: string): string {
  return [
    BLOCK_START,
    'The Go examples after this one, except the one under "Go", are machine translations of the TypeScript examples',
    '(jsii-rosetta) and may not compile as-is. This one is hand-written: the lines below are copied verbatim from',
    `[${EXAMPLE_PATH}](${EXAMPLE_URL}), the Go app CI compiles and tests against this module: its imports and its`,
    '`NewConsumerVodStack` (`ConsumerVodStack` is a struct of the constructs; the app\'s `main` calls it with an',
    '`awscdk.App` and synthesizes), less the few lines that record the test app\'s own scanner exceptions.',
    '',
    '```go',
    example,
    '```',
    BLOCK_END,
  ].join('\n');
}

/**
 * `readme` with the example block right after its title (the first `# ` line), before anything else (so before any
 * translated snippet). A block from an earlier run is replaced. Throws when the README has no title.
 */
export function leadWithExample(readme: string, example: string): string {
  let text = readme;
  const start = text.indexOf(BLOCK_START);
  if (start >= 0) {
    const end = text.indexOf(BLOCK_END, start);
    if (end < 0) throw new Error(`README: '${BLOCK_START}' without '${BLOCK_END}'`);
    text = text.slice(0, start) + text.slice(end + BLOCK_END.length).replace(/^\n+/, '');
  }
  const lines = text.split('\n');
  const title = lines.findIndex(line => /^# \S/.test(line));
  if (title < 0) throw new Error('README: no title (a line starting with \'# \')');
  const rest = lines.slice(title + 1);
  while (rest.length > 0 && rest[0].trim() === '') rest.shift();
  return [...lines.slice(0, title + 1), '', exampleBlock(example), '', ...rest].join('\n');
}

/** Rewrites `readmeFile` in place to lead with the example of `goFile`; returns a one-line summary. */
export function rewriteGoReadme(goFile: string = EXAMPLE_PATH, readmeFile: string = 'dist/go/cdkmediapackagevod/README.md'): string {
  const example = extractExample(readFileSync(goFile, 'utf8'), goFile);
  writeFileSync(readmeFile, leadWithExample(readFileSync(readmeFile, 'utf8'), example));
  return `go-readme: ${readmeFile} leads with the ${example.split('\n').length}-line example of ${goFile}`;
}

if (require.main === module) {
  try {
    const [goFile, readmeFile] = process.argv.slice(2);
    console.log(rewriteGoReadme(goFile, readmeFile));
  } catch (e) {
    console.error(`go-readme: ${(e as Error).message}`);
    process.exit(1);
  }
}
