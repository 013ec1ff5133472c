/** A certificate for localhost and 127.0.0.1, made when a test runs (no key is ever committed). */
import selfsigned from 'selfsigned';

export async function selfSignedCertificate(): Promise<{ key: string; cert: string }> {
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    notAfterDate: new Date(Date.now() + 24 * 3600_000),
    extensions: [
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  } as never);
  return { key: pems.private, cert: pems.cert };
}
