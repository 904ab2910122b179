// Writes a gzip copy beside each text file of web/dist (scripts, styles, HTML, SVG, JSON) that
// it makes at least 10% smaller; `atelier serve` sends it to browsers that accept gzip, so the
// server never compresses on the fly.
import { readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, constants } from 'node:zlib';

const dist = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const textual = new Set(['.js', '.mjs', '.css', '.html', '.svg', '.json', '.txt', '.map']);

let before = 0;
let after = 0;
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      walk(path);
      continue;
    }
    if (name.endsWith('.gz')) {
      unlinkSync(path); // from an earlier build: rewritten below when still useful
      continue;
    }
    if (!textual.has(extname(name))) continue;
    const bytes = readFileSync(path);
    const gz = gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION });
    if (gz.length <= bytes.length * 0.9) {
      writeFileSync(`${path}.gz`, gz);
      before += bytes.length;
      after += gz.length;
    }
  }
}
walk(dist);
console.log(`gzip copies: ${before} bytes of text served as ${after}`);
