/** Minimal typings for sql.js (SQLite compiled to WebAssembly, CommonJS build); only what npm-fallback uses. */
declare module 'sql.js' {
  type SqlValue = string | number | Uint8Array | null;
  interface Statement {
    step(): boolean;
    get(): SqlValue[];
    free(): boolean;
  }
  interface Database {
    prepare(sql: string): Statement;
    close(): void;
  }
  interface SqlJsStatic {
    Database: new (data?: Uint8Array) => Database;
  }
  function initSqlJs(config?: { locateFile?: (file: string) => string }): Promise<SqlJsStatic>;
  export = initSqlJs;
}
