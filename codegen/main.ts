import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { operations } from '../protocol/index.js';
import { generate } from './generate.js';

/** `npm run generate [-- <outDir>]`: writes the generated client, default generated/. */
const outDir = resolve(process.argv[2] ?? 'generated');
await mkdir(outDir, { recursive: true });
for (const [name, text] of await generate(operations)) {
  await writeFile(join(outDir, name), text);
}
console.log(`generated ${Object.keys(operations).length} operations into ${outDir}`);
