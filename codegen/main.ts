import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { operations } from '../protocol/index.js';
import { apiReference } from './docs.js';
import { generate } from './generate.js';

/** `npm run generate`: writes generated/ and docs/api.md from protocol/. */
const outDir = resolve(process.argv[2] ?? 'generated');
const docsFile = resolve(process.argv[3] ?? 'docs/api.md');
const files = await generate(operations);
await mkdir(outDir, { recursive: true });
for (const [name, text] of files) await writeFile(join(outDir, name), text);
await mkdir(resolve(docsFile, '..'), { recursive: true });
await writeFile(docsFile, apiReference(files.get('client.ts')!, operations));
console.log(
  `generated ${Object.keys(operations).length} operations into ${outDir} and ${docsFile}`,
);
