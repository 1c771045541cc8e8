// An n8n external hook (EXTERNAL_HOOK_FILES) that answers a webhook call before n8n reads its body:
//   403 when the X-PromptSales-Secret header is missing or wrong, whatever the body (malformed, huge);
//   413 when the body is larger than N8N_PAYLOAD_SIZE_MAX megabytes (n8n itself answers 500 there).
// n8n 2.41 parses a webhook's JSON body before the Webhook node checks its header authentication, so
// without this a caller with no secret gets a parse error or a 500, not a refusal. The Webhook nodes keep
// their own header check; this one comes first. Paths in PROMPTSALES_PUBLIC_WEBHOOKS (comma-separated,
// e.g. the Canva OAuth redirect, which a browser follows) are left to n8n.
//
// Read from the environment: PROMPTSALES_WEBHOOK_SECRET (the secret; unset: every guarded call is
// refused), PROMPTSALES_PUBLIC_WEBHOOKS, N8N_PAYLOAD_SIZE_MAX (n8n's own limit, MB, default 16),
// N8N_ENDPOINT_WEBHOOK and N8N_ENDPOINT_WEBHOOK_TEST (n8n's path prefixes).
'use strict';

const crypto = require('crypto');
const path = require('path');

// raw-body is n8n's own dependency (it reads webhook bodies with it).
const rawBody = require(require.resolve('raw-body', { paths: [path.dirname(require.main.filename)] }));

const HEADER = 'x-promptsales-secret';  // Node gives header names in lower case
const HEADER_NAME = 'X-PromptSales-Secret';
const LIMIT_MB = Number(process.env.N8N_PAYLOAD_SIZE_MAX || 16);
const LIMIT = LIMIT_MB * 1024 * 1024;
const PREFIXES = [process.env.N8N_ENDPOINT_WEBHOOK || 'webhook', process.env.N8N_ENDPOINT_WEBHOOK_TEST || 'webhook-test']
  .map((endpoint) => `/${endpoint}/`);
const PUBLIC = new Set((process.env.PROMPTSALES_PUBLIC_WEBHOOKS || '').split(',').map((p) => p.trim()).filter(Boolean));

const digest = (value) => crypto.createHash('sha256').update(String(value)).digest();
const SECRET = process.env.PROMPTSALES_WEBHOOK_SECRET ? digest(process.env.PROMPTSALES_WEBHOOK_SECRET) : null;

function answer(res, code, message) {
  // The body may not have been read: close the connection rather than read what is left of it.
  res.writeHead(code, { 'Content-Type': 'application/json; charset=utf-8', Connection: 'close' });
  res.end(JSON.stringify({ code, message }));
}

function guardedPath(url) {
  const pathname = url.split('?')[0];
  const prefix = PREFIXES.find((p) => pathname.startsWith(p));
  return prefix !== undefined && !PUBLIC.has(decodeURIComponent(pathname.slice(prefix.length)));
}

async function guard(req, res, next) {
  if (!guardedPath(req.url)) return next();
  const given = req.headers[HEADER];
  if (SECRET === null || typeof given !== 'string' || !crypto.timingSafeEqual(digest(given), SECRET)) {
    return answer(res, 403, `the ${HEADER_NAME} header is missing or wrong; nothing was read or run`);
  }
  const declared = Number(req.headers['content-length'] || 0);
  const tooLarge = `the body is larger than ${LIMIT_MB} MB (N8N_PAYLOAD_SIZE_MAX); nothing was run`;
  if (declared > LIMIT) return answer(res, 413, tooLarge);
  // A body without Content-Length (chunked) is read here, up to the limit, and handed to n8n as read; a
  // compressed one is left to n8n, which inflates it.
  if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] && !req.headers['content-encoding']) {
    try {
      req.rawBody = await rawBody(req, { limit: LIMIT });
      req._body = true;
    } catch (error) {
      return error.type === 'entity.too.large' ? answer(res, 413, tooLarge) : answer(res, 400, 'the body could not be read');
    }
  }
  return next();
}

module.exports = {
  n8n: {
    ready: [
      async function installWebhookGuard(server) {
        // Before every route and body reader n8n set up: moved to the front of the router's stack.
        const stack = server.app.router.stack;
        server.app.use(guard);
        stack.unshift(stack.pop());
      },
    ],
  },
};
