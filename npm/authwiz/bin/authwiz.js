#!/usr/bin/env node
// The `authwiz` command of the npm package: runs the prebuilt binary of the
// platform package npm installed beside it (an optional dependency chosen by
// `os` and `cpu`, as esbuild and Biome do). No download at install time.
'use strict';

const { spawnSync } = require('node:child_process');

const PACKAGES = {
  'linux-x64': '@authwiz/linux-x64',
  'linux-arm64': '@authwiz/linux-arm64',
  'darwin-x64': '@authwiz/darwin-x64',
  'darwin-arm64': '@authwiz/darwin-arm64',
  'win32-x64': '@authwiz/win32-x64',
};

// AUTHWIZ_NPM_PLATFORM stands in for this machine's platform (tests).
const platform = process.env.AUTHWIZ_NPM_PLATFORM || `${process.platform}-${process.arch}`;
const pkg = PACKAGES[platform];
if (!pkg) {
  console.error(
    `authwiz has no prebuilt binary for ${platform} (there are: ${Object.keys(PACKAGES).join(', ')}).\n` +
      'Build it from source with Rust instead: cargo install --locked authwiz',
  );
  process.exit(1);
}

const exe = platform.startsWith('win32') ? 'authwiz.exe' : 'authwiz';
let binary;
try {
  binary = require.resolve(`${pkg}/bin/${exe}`);
} catch {
  console.error(
    `The package ${pkg}, which holds authwiz's binary for ${platform}, is not installed.\n` +
      'npm leaves optional dependencies out with --omit=optional or --no-optional: install again with them (npm install authwiz --include=optional).',
  );
  process.exit(1);
}

const run = spawnSync(binary, process.argv.slice(2), { stdio: 'inherit' });
if (run.error) {
  console.error(`authwiz could not be started (${binary}): ${run.error.message}`);
  process.exit(1);
}
if (run.signal) {
  // Ended by a signal: end the same way, so that callers see it.
  process.kill(process.pid, run.signal);
}
process.exit(run.status ?? 1);
