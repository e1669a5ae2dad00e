import * as fs from 'fs';
import * as path from 'path';

// README "Signing cookies in your backend" shows each language's signing code: it must be the code the tests run (the
// part of each file between its `README: <language> begin` and `end` markers), so that a change on either side fails.
const ROOT = path.resolve(__dirname, '..', '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

function section(readme: string, heading: string): string {
  const start = readme.indexOf(`\n${heading}\n`);
  expect(start).toBeGreaterThan(-1);
  const end = readme.slice(start + heading.length + 2).search(/\n#{2,3} /);
  return end < 0 ? readme.slice(start) : readme.slice(start, start + heading.length + 2 + end);
}

function blocks(markdown: string, fence: string): string[] {
  return [...markdown.matchAll(new RegExp(`^\`\`\`${fence}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))].map((m) => m[1].replace(/\n$/, ''));
}

function region(file: string, language: string, comment: string): string {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const m = new RegExp(`${comment} README: ${language} begin\\n([\\s\\S]*?)\\n${comment} README: ${language} end`).exec(text);
  expect(m).not.toBeNull();
  return m![1].replace(/\n+$/, '');
}

describe('README "Signing cookies in your backend"', () => {
  const signing = section(README, '### Signing cookies in your backend');

  test.each([
    ['tsx', 'test/signing/typescript-signer.ts', 'typescript', '//'],
    ['python', 'test/consumers/python/signing.py', 'python', '#'],
    ['java', 'test/consumers/java/src/main/java/io/github/cdkmediapackagevod/consumer/TitleSigner.java', 'java', '//'],
    ['go', 'test/consumers/go/signing/signing.go', 'go', '//'],
  ])('its one %s block is %s', (fence, file, language, comment) => {
    expect(blocks(signing, fence)).toEqual([region(file, language, comment)]);
  });

  test('says that a signed manifest URL does not cover the segments', () => {
    expect(signing).toMatch(/manifest references its segment URLs[\s\S]*signed\s+manifest URL does not cover them/);
  });

  test('keeps the TypeScript block out of jsii-rosetta (not a ts fence: it is backend code, not a CDK app)', () => {
    expect(blocks(signing, 'ts')).toEqual([]);
    expect(blocks(signing, 'typescript')).toEqual([]);
  });
});
