// Command-line scripts (seed, token, bench) run on the server by definition: `tsconfig.scripts.json`
// maps the "server-only" guard here so they can reuse lib/ modules.
export {};
