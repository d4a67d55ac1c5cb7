/** What `roost serve --web` tells its page at /serve.json: never the token. */
export interface ServeInfo {
  /** The command that starts this core again (its --data and --port), or null. */
  command: string | null
}

export const SERVE_INFO_PATH = '/serve.json'
