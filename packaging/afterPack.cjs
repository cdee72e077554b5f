// electron-builder afterPack hook: on Linux, strips the debugging symbols LanceDB's native module ships with
// (161 MB → 141 MB; checked to load the same). Only `strip` from binutils, on the build machine; nothing downloaded.
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

exports.default = async function afterPack(context) {
  if (context.electronPlatformName !== 'linux') return;
  const folder = join(context.appOutDir, 'resources', 'app.asar.unpacked', 'node_modules', '@lancedb');
  if (!existsSync(folder)) return;
  for (const pkg of readdirSync(folder)) {
    for (const file of readdirSync(join(folder, pkg))) {
      if (file.endsWith('.node')) execFileSync('strip', ['--strip-unneeded', join(folder, pkg, file)]);
    }
  }
};
