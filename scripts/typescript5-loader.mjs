// Module hook for scripts/docs.mjs: TypeDoc reads TypeScript through its
// compiler API, which TypeScript 7 (the project's compiler) does not offer, so
// TypeDoc's `import ... from 'typescript'` is served by TypeScript 5, installed
// as the dev dependency `typescript5`.
export async function resolve(specifier, context, nextResolve) {
  return nextResolve(specifier === 'typescript' ? 'typescript5' : specifier, context);
}
