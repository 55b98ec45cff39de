// The part of sql.js (https://sql.js.org, MIT) that sqlite-wasm.ts uses; the package ships no types.
declare module 'sql.js' {
  export type SqlJsValue = number | string | Uint8Array | null;
  export interface QueryExecResult {
    columns: string[];
    values: SqlJsValue[][];
  }
  export interface Database {
    exec(sql: string): QueryExecResult[];
    close(): void;
  }
  export interface SqlJsStatic {
    Database: new (data?: ArrayLike<number> | Buffer | null) => Database;
  }
  export interface SqlJsConfig {
    locateFile?: (file: string) => string;
    wasmBinary?: ArrayBuffer | Uint8Array;
  }
  export default function initSqlJs(config?: SqlJsConfig): Promise<SqlJsStatic>;
}
