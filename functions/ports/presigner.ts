/** Short-lived URLs that let a browser put or get one object itself, without passing through a Lambda. */
export interface Presigner {
  /** A PUT for exactly `key`; the metadata headers are signed, so the browser must send them unchanged. */
  uploadUrl(
    key: string,
    metadata: Record<string, string>,
    expiresInSeconds: number,
  ): Promise<{ url: string; headers: Record<string, string> }>;
  downloadUrl(key: string, expiresInSeconds: number, fileName?: string): Promise<string>;
}
