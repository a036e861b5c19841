import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { assertStorageKey, type DocumentStorage } from "./document-storage";

function isMissing(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "ENOENT";
}

/**
 * The default storage: files under `rootDir`, a directory outside any web root (the apps never
 * serve it statically; documents go out only through a route that checks who asks). Readable by
 * this process's user only.
 *
 * A write goes to a temporary file in the target directory, is flushed, then renamed over the final
 * name: rename is atomic within one file system, so a crash leaves either the whole file or none.
 */
export function createLocalDiskStorage(rootDir: string): DocumentStorage {
  // An empty setting would resolve to the working directory, which may well be served.
  if (rootDir.trim() === "") throw new Error("The storage directory is not set");
  const root = path.resolve(rootDir);

  function pathOf(key: string): string {
    assertStorageKey(key);
    const file = path.resolve(root, ...key.split("/"));
    // The key pattern already rules out "..": this is the belt to those braces.
    if (!file.startsWith(root + path.sep)) throw new Error("Storage key escapes the storage directory");
    return file;
  }

  return {
    async put(key, bytes) {
      const file = pathOf(key);
      const dir = path.dirname(file);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      // A dot-name never matches a key (keys have no dots), so a leftover temporary file is never read as a document.
      const temporary = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
      try {
        const handle = await open(temporary, "wx", 0o600);
        try {
          await handle.writeFile(bytes);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(temporary, file);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
    },

    async get(key) {
      try {
        return new Uint8Array(await readFile(pathOf(key)));
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },

    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}
