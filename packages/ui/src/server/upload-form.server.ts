import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";

/** A file of the form was over its limit: the route answers with the file field's "too large" error. */
export class UploadTooLarge extends Error {}

/**
 * A form's body: urlencoded as usual, multipart (a file upload) parsed in memory with each part
 * capped at `maxFileBytes`. A larger file is dropped and read to its end (up to eight times the
 * limit; the server's body limit bounds it too), so that the browser, which sends the whole body
 * before it reads the answer, gets the page with its error instead of a broken connection; then
 * UploadTooLarge is thrown.
 */
export async function readUploadForm(request: Request, maxFileBytes: number): Promise<FormData> {
  if (!(request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) return request.formData();
  const drainLimit = 8 * maxFileBytes;
  const memory = unstable_createMemoryUploadHandler({ maxPartSize: maxFileBytes });
  let tooLarge = false;
  const handler: UploadHandler = async (part) => {
    try {
      return await memory(part);
    } catch (error) {
      if (!(error instanceof MaxPartSizeExceededError)) throw error;
      tooLarge = true;
      let drained = 0;
      for await (const chunk of part.data) {
        drained += chunk.byteLength;
        if (drained > drainLimit) throw new UploadTooLarge();
      }
      return undefined;
    }
  };
  const form = await unstable_parseMultipartFormData(request, handler);
  if (tooLarge) throw new UploadTooLarge();
  return form;
}
