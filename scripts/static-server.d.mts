// Types of static-server.mjs, for the TypeScript tests that start it.
export interface StaticServer {
  /** Base URL with a trailing slash, e.g. http://127.0.0.1:41234/ */
  url: string;
  port: number;
  close(): Promise<void>;
}

export function startStaticServer(options: {
  root: string;
  port?: number;
  headers?: Record<string, string>;
}): Promise<StaticServer>;
