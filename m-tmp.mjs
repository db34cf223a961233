import { build } from 'esbuild';
const r = await build({ entryPoints: ['index.ts'], bundle: true, platform: 'browser', format: 'esm', write: false, metafile: true, minify: true, splitting: true, outdir: '/tmp/y', logLevel: 'silent' });
const idx = r.outputFiles.find(f => f.path.endsWith('index.js')); console.log(idx.text.slice(0, 120), idx.contents.length);
