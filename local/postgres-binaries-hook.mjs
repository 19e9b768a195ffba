// Module resolve hook (node:module register): sends one bare specifier to another file.
// Used by postgres-binaries.mjs to load the PostgreSQL binaries package from a reachable copy.
let redirect;

export function initialize(data) {
  redirect = data;
}

export function resolve(specifier, context, next) {
  if (redirect && specifier === redirect.specifier) return { url: redirect.url, shortCircuit: true, format: 'module' };
  return next(specifier, context);
}
