// Its own module, free of Node's types, so the root entry point's declarations can name it.

/** Raised for anything that cannot be read or decoded; the CLI prints it and exits 2. */
export class ReadError extends Error {}
