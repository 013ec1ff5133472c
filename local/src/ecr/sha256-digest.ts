import { createHash } from 'node:crypto';

/** The content digest registries name blobs and manifests by: `sha256:<hex>` of the exact bytes. */
export function sha256Digest(content: string | Uint8Array): string {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}
