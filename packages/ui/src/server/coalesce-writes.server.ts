import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";

/**
 * Sends what a response writes within one turn of the event loop in one system call. React streams
 * a page in chunks of a few kilobytes and Remix writes each to the response as it comes: without
 * this, each chunk is its own write on the socket (and, chunked, three buffers each), which on a
 * large page (a comparison of a hundred offers is ~500 KB) cost as much CPU as rendering it. The
 * first write of a turn corks the response; the turn's end (setImmediate) uncorks it, flushing the
 * turn's chunks together. Nothing is held longer than the current turn, so streamed pages and event
 * streams still go out as they are written.
 */
export function coalesceWrites() {
  return (_req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    const write = res.write;
    let corked = false;
    res.write = function (this: ExpressResponse, ...args: unknown[]) {
      if (!corked) {
        corked = true;
        this.cork();
        setImmediate(() => {
          corked = false;
          this.uncork();
        });
      }
      return (write as (...a: unknown[]) => boolean).apply(this, args);
    } as ExpressResponse["write"];
    next();
  };
}
