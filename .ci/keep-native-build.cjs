// Keeps this machine's compiled better-sqlite3 where prebuild-install looks first, so the next `npm ci`
// unpacks it instead of compiling SQLite again (about two minutes of a CI run on two cores).
// prebuild-install (better-sqlite3's install step) cannot reach GitHub from here and falls back to
// node-gyp; before downloading, it checks npm's prebuild cache for a file named after the download URL
// (prebuild-install/util.js, cachedPrebuild). A wrong guess of that name costs only the compile.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const moduleDir = path.join(__dirname, '..', 'node_modules', 'better-sqlite3');
const { version } = require(path.join(moduleDir, 'package.json'));
const url =
  `https://github.com/WiseLibs/better-sqlite3/releases/download/v${version}/` +
  `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
const cacheDir = path.join(process.env.npm_config_cache || path.join(os.homedir(), '.npm'), '_prebuilds');
const digest = crypto.createHash('sha512').update(url).digest('hex').slice(0, 6);
const cached = path.join(cacheDir, `${digest}-${path.basename(url).replace(/[^a-zA-Z0-9.]+/g, '-')}`);
const binary = path.join(moduleDir, 'build', 'Release', 'better_sqlite3.node');

if (fs.existsSync(cached)) {
  console.log(`better-sqlite3 ${version}: the next install unpacks ${cached}`);
} else if (fs.existsSync(binary)) {
  fs.mkdirSync(cacheDir, { recursive: true });
  const partial = `${cached}.${process.pid}.partial`;
  // The archive holds build/Release/better_sqlite3.node, as the published prebuilds do.
  execFileSync('tar', ['-czf', partial, '-C', moduleDir, 'build/Release/better_sqlite3.node']);
  fs.renameSync(partial, cached);
  console.log(`better-sqlite3 ${version}: kept this build in ${cached}`);
} else {
  console.log(`better-sqlite3 ${version}: no compiled binary to keep`);
}
