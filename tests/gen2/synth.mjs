// Synthesizes an exported Gen 2 backend with the real @aws-amplify/backend and
// aws-cdk-lib, without network or Docker, and prints the Cognito resources of
// the cloud assembly as JSON: [{type, properties}].
//
// usage: node synth.mjs <backend folder (holding amplify/backend.ts)> <work folder under tests/gen2>
// (under tests/gen2: the CDK bundles Amplify's functions only from under the
// folder of the lock file, and the packages resolve from its node_modules)
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [backendDir, work] = process.argv.slice(2).map((p) => resolve(p));
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
if (!work.startsWith(here + '/')) {
  throw new Error(`the work folder must be under ${here}`);
}
// The backend's TypeScript as JavaScript in the same layout (Amplify checks
// that defineAuth is called from amplify/auth/resource).
const sources = ['amplify/backend.ts', 'amplify/auth/resource.ts'].map((f) => join(backendDir, f));
await build({
  entryPoints: sources,
  outbase: join(backendDir, 'amplify'),
  outdir: join(work, 'amplify'),
  platform: 'node',
  format: 'esm',
  logLevel: 'error',
});
// ES modules name relative imports with their extension.
for (const f of ['amplify/backend.js', 'amplify/auth/resource.js']) {
  const path = join(work, f);
  const text = readFileSync(path, 'utf8').replace(
    /(from\s+)(['"])(\.{1,2}\/[^'"]+?)(\.js)?\2/g,
    (_, from, q, spec) => `${from}${q}${spec}.js${q}`,
  );
  writeFileSync(path, text);
}
const entry = join(work, 'amplify/backend.js');
const out = join(work, 'cdk.out');
execFileSync(process.execPath, [entry], {
  cwd: work,
  // The CDK's bundling lines go to stdout: kept off the JSON.
  stdio: ['ignore', 'ignore', 'pipe'],
  env: {
    ...process.env,
    // esbuild on PATH: the CDK bundles Amplify's custom-resource functions locally.
    PATH: `${join(here, 'node_modules/.bin')}:${process.env.PATH}`,
    CDK_OUTDIR: out,
    CDK_CONTEXT_JSON: JSON.stringify({
      'amplify-backend-namespace': 'authwizsynth',
      'amplify-backend-name': 'sandbox',
      'amplify-backend-type': 'sandbox',
    }),
    AWS_REGION: 'us-east-1',
    CDK_DEFAULT_REGION: 'us-east-1',
    CDK_DEFAULT_ACCOUNT: '123456789012',
  },
});
const resources = [];
for (const file of readdirSync(out).filter((f) => f.endsWith('.template.json'))) {
  const template = JSON.parse(readFileSync(join(out, file), 'utf8'));
  for (const [id, r] of Object.entries(template.Resources ?? {})) {
    if (r.Type.startsWith('AWS::Cognito::') || r.Type.startsWith('Custom::')) {
      resources.push({ file, id, type: r.Type, properties: r.Properties ?? {} });
    }
  }
}
process.stdout.write(JSON.stringify(resources, null, 1));
