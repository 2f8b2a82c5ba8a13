/**
 * The core's only window onto the network. The Yarn layer passes one built on Yarn's own HTTP stack
 * (registries, auth, proxies, offline mode); the standalone CLI passes one built on fetch().
 * A Fetcher rejects only when no answer came (DNS, refused, timeout); HTTP statuses are answers.
 */
export type FetchAnswer = {
  status: number;
  body: Buffer;
};

export type Fetcher = (url: string, options: {accept: string}) => Promise<FetchAnswer>;
