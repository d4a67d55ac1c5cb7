// Hand-written types for the generated index.js beside this file (scripts/schema.mjs keeps this file).
export class Router {
  add(name: string, handler: (value: any, context: any) => Promise<void> | void): void
  dispatch(op: { id: number; name: string; value: unknown }, context: unknown): Promise<void>
}
export function encode(name: string, value: unknown): Buffer
export function decode(buf: Buffer): { id: number; name: string; value: any }
