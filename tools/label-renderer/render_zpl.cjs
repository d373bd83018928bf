#!/usr/bin/env node
// Render one ZPL label read on stdin to PNG on stdout, offline (zpl-renderer-js, a WASM build of zebrash).
// Usage: node render_zpl.cjs [widthMm] [heightMm] [dpmm]   (defaults: 101.6 152.4 8 = 4x6 in at 203 dpi)
"use strict";
const { ready } = require("zpl-renderer-js");

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on("data", (c) => chunks.push(c));
    process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", reject);
  });
}

async function main() {
  const [widthMm, heightMm, dpmm] = process.argv.slice(2).map(Number);
  const zpl = await readStdin();
  if (!zpl.includes("^XA")) {
    process.stderr.write("render_zpl: no ^XA label on stdin\n");
    process.exit(2);
  }
  const { api } = await ready;
  const base64 = await api.zplToBase64Async(zpl, widthMm || 101.6, heightMm || 152.4, dpmm || 8);
  process.stdout.write(Buffer.from(base64, "base64"), () => process.exit(0));
}

main().catch((err) => {
  process.stderr.write(`render_zpl: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
