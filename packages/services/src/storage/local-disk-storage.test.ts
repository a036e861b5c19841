import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createServiceDeps } from "../deps";
import { InvalidStorageKeyError, isStorageKey, newStorageKey } from "./document-storage";
import { createLocalDiskStorage } from "./local-disk-storage";

const root = await mkdtemp(path.join(tmpdir(), "souk-storage-"));
afterAll(() => rm(root, { recursive: true, force: true }));

/** Every file under `dir`, as paths relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

describe("local-disk storage", () => {
  const storage = createLocalDiskStorage(root);

  it("stores, reads back and deletes bytes under a key, readable by this user only", async () => {
    const key = newStorageKey(["sellers", "0d2c7a35-6a3b-4f7e-8c1d-2e3f4a5b6c7d"]);
    const bytes = new Uint8Array([37, 80, 68, 70, 45, 0, 255]);
    await storage.put(key, bytes);
    expect(await storage.get(key)).toEqual(bytes);
    expect((await stat(path.join(root, key))).mode & 0o777).toBe(0o600);
    // Nothing but the file itself: the temporary file was renamed, not copied.
    expect(await filesUnder(root)).toEqual([key]);
    await storage.delete(key);
    expect(await storage.get(key)).toBeNull();
    await expect(storage.delete(key)).resolves.toBeUndefined();
  });

  it("replaces a file whole", async () => {
    const key = newStorageKey(["replace"]);
    await storage.put(key, new Uint8Array(1000).fill(1));
    await storage.put(key, new Uint8Array([2]));
    expect(await storage.get(key)).toEqual(new Uint8Array([2]));
  });

  it("leaves no temporary file behind when a write fails", async () => {
    const blocked = await mkdtemp(path.join(tmpdir(), "souk-storage-blocked-"));
    try {
      // "a" is a file, so "a/b" cannot be created as a directory.
      await writeFile(path.join(blocked, "a"), "x");
      await expect(createLocalDiskStorage(blocked).put("a/b", new Uint8Array([1]))).rejects.toThrow();
      await expect(createLocalDiskStorage(blocked).put("a", new Uint8Array([1, 2]))).resolves.toBeUndefined();
      expect(await filesUnder(blocked)).toEqual(["a"]);
    } finally {
      await rm(blocked, { recursive: true, force: true });
    }
  });

  it.each(["../outside", "a/../../outside", "/etc/passwd", "a/./b", "a//b", "a/", "", ".hidden", "a.pdf", "A", "a\\b", "a%2f..", "a/b\0c", "x".repeat(101)])(
    "refuses the key %j on every operation, so no path can leave the directory",
    async (key) => {
      expect(isStorageKey(key)).toBe(false);
      await expect(storage.put(key, new Uint8Array([1]))).rejects.toBeInstanceOf(InvalidStorageKeyError);
      await expect(storage.get(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
      await expect(storage.delete(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
    },
  );

  it("makes random keys of the allowed shape under a prefix", () => {
    const keys = new Set(Array.from({ length: 100 }, () => newStorageKey(["sellers", "ORG-1"])));
    expect(keys.size).toBe(100);
    for (const key of keys) expect(key).toMatch(/^sellers\/org-1\/[0-9a-f]{32}$/);
    expect(() => newStorageKey(["../up"])).toThrow(InvalidStorageKeyError);
  });
});

describe("createServiceDeps", () => {
  const config = { databaseUrl: "postgres://postgres@127.0.0.1:5432/unused", publicUrls: { buyer: "http://b", seller: "http://s", operator: "http://o" } };

  it("gives the deps a storage in the configured directory, and none without one", async () => {
    const withStorage = createServiceDeps({ ...config, storageDir: root });
    const key = newStorageKey(["deps"]);
    await withStorage.storage.put(key, new Uint8Array([7]));
    expect(await createLocalDiskStorage(root).get(key)).toEqual(new Uint8Array([7]));
    await withStorage.close();

    const without = createServiceDeps(config);
    expect("storage" in without).toBe(false);
    await without.close();
  });

  it("refuses an empty storage directory rather than writing to the working directory", () => {
    expect(() => createServiceDeps({ ...config, storageDir: " " })).toThrow("The storage directory is not set");
  });
});
