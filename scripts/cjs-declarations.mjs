// The CommonJS declarations (dist/cjs/**/*.d.ts) are read as CommonJS, where a
// type imported from an ESM-only dependency (typebox) needs
// `resolution-mode: import`: without it a consumer on `moduleResolution:
// node16` gets TS1479/TS1541/TS1542 for every such import. The JavaScript is
// unchanged: this only touches declarations.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ATTRIBUTE = `with { 'resolution-mode': 'import' }`;

/** The dependencies whose exports offer no `require` condition: ESM only. */
export function esmOnlyDependencies(root) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return Object.keys(pkg.dependencies ?? {}).filter((name) => {
    const dep = JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8'));
    return dep.type === 'module' && !JSON.stringify(dep.exports ?? {}).includes('"require"');
  });
}

/** Rewrites one declaration file's imports of `modules` (and their subpaths) to `resolution-mode: import`. */
export function importAsEsm(text, modules) {
  for (const name of modules) {
    const specifier = `${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?:/[^'"]*)?`;
    text = text.replace(
      new RegExp(`import\\((["'])(${specifier})\\1\\)`, 'g'),
      (_, quote, module) =>
        `import(${quote}${module}${quote}, { with: { 'resolution-mode': 'import' } })`,
    );
    text = text.replace(
      new RegExp(`^import (?:type )?(.+?) from (["'])(${specifier})\\2;$`, 'gm'),
      (_, clause, quote, module) => {
        const from = `from ${quote}${module}${quote} ${ATTRIBUTE};`;
        const [, head, named] = /^([^{]*?)(?:,?\s*\{(.*)\})?$/.exec(clause.trim());
        const imports = [];
        if (head) imports.push(`import type ${head} ${from}`);
        if (named)
          imports.push(`import type { ${named.replace(/\btype\s+/g, '').trim()} } ${from}`);
        return imports.join('\n');
      },
    );
  }
  return text;
}

/** Applies {@link importAsEsm} to every declaration file under `dir`. */
export function rewriteCjsDeclarations(dir, modules) {
  if (modules.length === 0) return;
  for (const entry of readdirSync(dir, { recursive: true })) {
    if (!entry.endsWith('.d.ts')) continue;
    const file = join(dir, entry);
    const text = readFileSync(file, 'utf8');
    const rewritten = importAsEsm(text, modules);
    if (rewritten !== text) writeFileSync(file, rewritten);
  }
}
