// The globals the client's types name that some `lib` settings lack.
//
// `await using client = new NoexClient(url)` needs the client's types to name
// `AsyncDisposable` and `Symbol.asyncDispose` (and `await using` itself needs
// `Disposable`), which TypeScript's lib declares only in `esnext.disposable`
// (and @types/node in its own copy). `CallOptions.signal` names `AbortSignal`,
// which only DOM and @types/node declare. Declaring them here, as those do,
// lets a consumer type-check the package under any `lib`, with or without DOM
// or @types/node (a runtime-agnostic library with `lib: ["ES2022"]`): where
// the lib already declares them, these declarations merge into it (a `unique
// symbol` property declared twice in one merged interface is still one symbol;
// a property declared twice with the same type is one property) and change
// nothing.
//
// This module has no code. The client re-exports its (no) types, so that the
// emitted `.d.ts` refers to it, and consumers load these globals with the
// client's types, while the JavaScript does not import it at all.
declare global {
  interface SymbolConstructor {
    /** The method `using` calls at the end of its block (TC39 explicit resource management). */
    readonly dispose: unique symbol;
    /** The method `await using` calls at the end of its block (TC39 explicit resource management). */
    readonly asyncDispose: unique symbol;
  }

  /** An object that `using` can dispose of. */
  interface Disposable {
    [Symbol.dispose](): void;
  }

  /** An object that `await using` can dispose of. */
  interface AsyncDisposable {
    [Symbol.asyncDispose](): PromiseLike<void>;
  }

  // What aborts a call: an AbortController's signal. DOM and @types/node declare the rest of it,
  // with the docs (line comments here, so that the API reference shows theirs).
  interface AbortSignal {
    readonly aborted: boolean;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as DOM and @types/node declare it
    readonly reason: any;
  }
}

export {};
