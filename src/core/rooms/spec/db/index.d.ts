// Hand-written types for the generated index.js beside this file (scripts/schema.mjs keeps this file).
declare const spec: unknown
export default spec
