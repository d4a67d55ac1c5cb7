// Hand-written types for the generated index.js beside this file (scripts/schema.mjs keeps this file).
export function encode(name: string, value: unknown): Buffer
export function decode(name: string, buffer: Buffer): any
