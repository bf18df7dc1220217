declare module 'unbzip2-stream' {
  import type { Duplex } from 'node:stream';

  /** A through-stream that turns bzip2 data into its decompressed bytes. */
  function unbzip2Stream(): Duplex;
  export = unbzip2Stream;
}
