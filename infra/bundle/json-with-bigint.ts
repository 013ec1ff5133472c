/**
 * Stands in for `json-with-bigint` in the Lambda bundle (see ../function-bundling.ts). `@octokit/request`
 * parses GitHub's answers and writes request bodies with it so that integers beyond 2^53 survive as
 * BigInt. Nothing the function reads or sends from GitHub comes near that (shas and paths are text;
 * pull request numbers and installation ids are far below it), so the platform's JSON does the same
 * work for 4 KiB less. Differs only on such integers, which become the nearest Number.
 */
export const JSONParse = (text: string): unknown => JSON.parse(text);

export const JSONStringify = (value: unknown): string => JSON.stringify(value);
