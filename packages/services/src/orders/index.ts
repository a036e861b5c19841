export * from "./track-record";
