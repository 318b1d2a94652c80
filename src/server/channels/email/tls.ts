import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { generate } from 'selfsigned';
import { type Config, ConfigError } from '../../config.js';

export interface ListenerCertificate {
  key: string;
  cert: string;
  /** Where it came from, for the start-up log: the configured files, or the one made here. */
  source: string;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g;

/**
 * The SMTP listener's certificate for STARTTLS: the configured PEM files, or else one
 * made on first start and kept in the data directory, as MTAs do: servers that deliver
 * mail encrypt with whatever certificate they are offered, and need one to encrypt at all.
 * Key and certificate are kept in one file, written whole, so two processes starting on
 * the same directory can never pair one's key with the other's certificate.
 */
export async function listenerCertificate(config: Config): Promise<ListenerCertificate> {
  const { HEARD_SMTP_TLS_CERT: certFile, HEARD_SMTP_TLS_KEY: keyFile } = config;
  if (certFile || keyFile) {
    if (!certFile || !keyFile) throw new ConfigError('HEARD_SMTP_TLS_CERT and HEARD_SMTP_TLS_KEY go together: set both, or neither for a self-signed certificate');
    const read = async (file: string, name: string) => {
      try {
        return await fs.readFile(file, 'utf8');
      } catch (err) {
        throw new ConfigError(`${name}: cannot read ${file} (${(err as Error).message})`);
      }
    };
    const cert = await read(certFile, 'HEARD_SMTP_TLS_CERT');
    const key = await read(keyFile, 'HEARD_SMTP_TLS_KEY');
    try {
      // A key that does not belong to the certificate would only show when a client connects.
      if (!new crypto.X509Certificate(cert).checkPrivateKey(crypto.createPrivateKey(key))) throw new Error('the key is not the certificate\'s');
    } catch (err) {
      throw new ConfigError(`HEARD_SMTP_TLS_CERT / HEARD_SMTP_TLS_KEY: ${(err as Error).message}`);
    }
    return { key, cert, source: certFile };
  }

  const file = path.join(config.dataDir, 'smtp-tls.pem');
  const existing = await fs.readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (existing) {
    const blocks = existing.match(PEM_BLOCK) ?? [];
    const key = blocks.find((b) => /PRIVATE KEY-----$/.test(b));
    const cert = blocks.filter((b) => /CERTIFICATE-----$/.test(b)).join('\n');
    if (key && cert) return { key, cert, source: file };
  }
  const now = new Date();
  const pems = await generate([{ name: 'commonName', value: config.mailDomain }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: now,
    notAfterDate: new Date(now.getTime() + 10 * 365 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: config.mailDomain }] },
    ],
  });
  await fs.mkdir(config.dataDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, `${pems.private}\n${pems.cert}\n`, { mode: 0o600 });
  await fs.rename(tmp, file);
  return { key: pems.private, cert: pems.cert, source: `${file} (self-signed, made now)` };
}
