// A real OpenID Connect provider (the npm package oidc-provider) for the single sign-on tests.
//
//   node tests/oidc/provider.mjs CONFIG.json
//
// CONFIG names the clients, the test accounts and the ID token's lifetime (tests/oidc/provider.py
// writes it). The provider listens on a free port on 127.0.0.1 and prints {"issuer": …} on one
// line once it is ready. Its sign-in page asks only for a login name: the tests are about what
// OpenIPS does with the ID token, not about the provider's own passwords.
//
// Each account may say which authentication methods (amr) and level (acr) its sign-in asserts,
// and `audience` makes the provider address that account's ID tokens to another service, as a
// token minted for another relying party would be.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const accounts = Object.entries(config.accounts);
const byLogin = new Map(accounts);
const bySubject = new Map(accounts.map(([, account]) => [account.sub, account]));

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };

function page(title, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body><h1>${title}</h1>${body}</body></html>`;
}

function loginForm(uid, error = '') {
  return page('Sign in to your NHS account', `
${error ? `<p role="alert">${error}</p>` : ''}
<form method="post" action="/interaction/${uid}/login">
  <label for="login">Login name</label>
  <input id="login" name="login" autocomplete="username">
  <button type="submit">Continue</button>
</form>
<p><a href="/interaction/${uid}/abort">Cancel</a></p>`);
}

async function formBody(req) {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  return new URLSearchParams(raw);
}

async function startServer() {
  const server = createServer();
  await new Promise((resolve) => { server.listen(0, '127.0.0.1', resolve); });
  const issuer = `http://127.0.0.1:${server.address().port}`;

  const provider = new Provider(issuer, {
    clients: config.clients.map((client) => ({
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
      ...client,
    })),
    jwks: { keys: [signingKey] },
    cookies: { keys: ['test-only-cookie-key'] },
    claims: {
      // How the person signed in goes in every ID token, as Entra ID and NHS CIS2 put it.
      openid: ['sub', 'acr', 'amr', 'auth_time'],
      email: ['email', 'email_verified'],
      profile: ['name', 'preferred_username'],
    },
    // The claims asked for by scope go in the ID token too, as Entra ID's optional claims do.
    conformIdTokenClaims: false,
    acrValues: [...new Set(accounts.map(([, account]) => account.acr).filter(Boolean))],
    ttl: { IdToken: config.id_token_ttl ?? 60 },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    // A first-party client: no consent screen.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId
        || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    async findAccount(ctx, sub) {
      const account = bySubject.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        async claims() {
          return {
            sub,
            email: account.email,
            email_verified: account.email_verified ?? true,
            name: account.name,
            preferred_username: account.preferred_username ?? account.email,
          };
        },
      };
    },
  });

  // An ID token for an account with `audience` is addressed to that service instead.
  const issue = provider.IdToken.prototype.issue;
  provider.IdToken.prototype.issue = function issueFor(options) {
    const audience = bySubject.get(this.available?.sub)?.audience;
    if (options?.use === 'idtoken' && audience) {
      this.client = Object.create(this.client, { clientId: { value: audience } });
    }
    return issue.call(this, options);
  };

  const handle = provider.callback();
  server.on('request', async (req, res) => {
    const match = /^\/interaction\/([^/?]+)(\/login|\/abort)?/.exec(req.url);
    if (!match) {
      handle(req, res);
      return;
    }
    try {
      const [, uid, action] = match;
      const details = await provider.interactionDetails(req, res);
      if (details.uid !== uid) throw new Error('interaction mismatch');
      if (action === '/abort') {
        await provider.interactionFinished(req, res, {
          error: 'access_denied', error_description: 'The person cancelled signing in',
        }, { mergeWithLastSubmission: false });
        return;
      }
      if (action === '/login' && req.method === 'POST') {
        const login = (await formBody(req)).get('login') ?? '';
        const account = byLogin.get(login);
        if (account) {
          await provider.interactionFinished(req, res, {
            login: { accountId: account.sub, amr: account.amr, acr: account.acr },
          }, { mergeWithLastSubmission: false });
          return;
        }
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(loginForm(uid, 'There is no account with that login name'));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(loginForm(uid));
    } catch (error) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(String(error));
    }
  });

  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
}

process.on('SIGTERM', () => process.exit(0));
await startServer();
