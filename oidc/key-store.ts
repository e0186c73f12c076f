// Signing keys, generated on first start and kept in the database (private parts sealed):
// one key per algorithm (ES256, RS256, EdDSA), each client signing with the one it names
// (RS256 unless it asks for another). `rotate`
// adds fresh keys and keeps the old public keys published until tokens they signed expire.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { Op } from 'sequelize';
import type { Clock } from '../src/clock.js';
import type { SecretBox } from '../src/crypto/secret-box.js';
import type { OidcModels } from './oidc-models.js';

export const SIGNING_ALGS = ['ES256', 'RS256', 'EdDSA'] as const;
/** ID tokens live 1 h; a day of publication covers them and relying parties' JWKS caches. */
export const RETIRED_KEY_PUBLISH_MS = 24 * 3_600_000;

type Jwk = Record<string, unknown> & { kid: string; alg: string };

function generate(alg: (typeof SIGNING_ALGS)[number]): Jwk {
  const kid = randomBytes(12).toString('base64url');
  const pair =
    alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : alg === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ed25519');
  return { ...(pair.privateKey.export({ format: 'jwk' }) as Record<string, unknown>), kid, alg, use: 'sig' };
}

export class KeyStore {
  constructor(
    private readonly models: OidcModels,
    private readonly box: SecretBox,
    private readonly clock: Clock,
  ) {}

  /** Private JWKs for oidc-provider: active keys first (in SIGNING_ALGS order), then retired ones still published. */
  async signingKeys(): Promise<Jwk[]> {
    await this.ensureActiveKeys();
    const rows = await this.models.OidcKey.findAll({
      where: { [Op.or]: [{ status: 'active' }, { publishUntil: { [Op.gt]: this.clock.now() } }] },
      order: [['createdAt', 'DESC'], ['kid', 'ASC']],
    });
    const rank = (r: { status: string; alg: string }) => (r.status === 'active' ? 0 : 10) + SIGNING_ALGS.indexOf(r.alg as never);
    return rows.sort((a, b) => rank(a) - rank(b)).map((r) => JSON.parse(this.box.open(r.privateJwk)) as Jwk);
  }

  /** New active keys for every algorithm; the previous ones retire but stay published. */
  async rotate(): Promise<{ retired: string[]; added: string[] }> {
    const now = this.clock.now();
    const active = await this.models.OidcKey.findAll({ where: { status: 'active' } });
    await this.models.OidcKey.update(
      { status: 'retired', retiredAt: now, publishUntil: new Date(now.getTime() + RETIRED_KEY_PUBLISH_MS) },
      { where: { kid: { [Op.in]: active.map((k) => k.kid) } } },
    );
    const added = [];
    for (const alg of SIGNING_ALGS) added.push(await this.insert(alg));
    return { retired: active.map((k) => k.kid), added };
  }

  private async ensureActiveKeys(): Promise<void> {
    const active = await this.models.OidcKey.findAll({ attributes: ['alg'], where: { status: 'active' } });
    for (const alg of SIGNING_ALGS) if (!active.some((k) => k.alg === alg)) await this.insert(alg);
  }

  private async insert(alg: (typeof SIGNING_ALGS)[number]): Promise<string> {
    const jwk = generate(alg);
    await this.models.OidcKey.create({ kid: jwk.kid, alg, privateJwk: this.box.seal(JSON.stringify(jwk)), status: 'active', createdAt: this.clock.now() });
    return jwk.kid;
  }
}
