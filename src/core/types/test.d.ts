declare module 'test-tmp' {
  import type { Test } from 'brittle'
  export default function tmp(t: Test, opts?: { order?: number; name?: string }): Promise<string>
}

declare module 'brittle' {
  interface Test {
    plan(n: number): void
    teardown(fn: () => unknown, opts?: { order?: number }): void
    timeout(ms: number): void
    comment(...args: unknown[]): void
    pass(message?: string): void
    fail(message?: string): void
    ok(value: unknown, message?: string): void
    absent(value: unknown, message?: string): void
    is(a: unknown, b: unknown, message?: string): void
    not(a: unknown, b: unknown, message?: string): void
    alike(a: unknown, b: unknown, message?: string): void
    unlike(a: unknown, b: unknown, message?: string): void
    exception(fn: unknown, expected?: unknown, message?: string): Promise<void>
    execution(fn: unknown, message?: string): Promise<void>
    test(name: string, fn: (t: Test) => Promise<void> | void): Promise<void>
  }
  type TestFn = (t: Test) => Promise<void> | void
  interface TestOptions {
    timeout?: number
    skip?: boolean
    solo?: boolean
  }
  function test(name: string, fn: TestFn): void
  function test(name: string, opts: TestOptions, fn: TestFn): void
  export type { Test }
  export default test
}
