import { configure } from '/webphone/voxdesk-webphone.js';

const params = new URLSearchParams(location.search);
const keycloak = (params.get('keycloak') || 'http://127.0.0.1:8180').replace(/\/+$/, '');
const tokenUrl = `${keycloak}/realms/voxdesk/protocol/openid-connect/token`;
const ticket = params.get('ticket');
const contact = params.get('contact');
const lang = params.get('lang') || undefined;
/** `?campaign=<id>` opens that campaign's monitor for admins (`./voxdesk demo` prints the demo campaign's id). */
let monitoredCampaign = params.get('campaign');

const $ = (id) => document.getElementById(id);

for (const button of document.querySelectorAll('voxdesk-call-button')) {
  if (ticket) button.setAttribute('ticket', ticket);
  if (contact) button.setAttribute('contact', contact);
}
if (ticket) {
  $('calls').setAttribute('ticket', ticket);
} else {
  $('no-ticket').hidden = false;
}

/** The current Keycloak tokens; access tokens live 5 minutes, so they are refreshed before they expire. */
let session = null;
let refreshTimer = null;

async function tokenRequest(form) {
  const response = await fetch(tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: 'voxdesk-web', ...form }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(body.error_description || body.error || `Keycloak answered ${response.status}`);
  }
  return body;
}

function claims(jwt) {
  const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(part), (c) => c.charCodeAt(0))));
}

function keep(tokens) {
  const now = Date.now();
  session = {
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    expiresAt: now + tokens.expires_in * 1000,
    refreshExpiresAt: tokens.refresh_expires_in ? now + tokens.refresh_expires_in * 1000 : Infinity,
    claims: claims(tokens.access_token),
  };
  clearTimeout(refreshTimer);
  // Refresh 30 s before expiry (at least 5 s from now) so requests and STOMP reconnects get a valid token.
  refreshTimer = setTimeout(() => refresh().catch(signOut), Math.max(5_000, tokens.expires_in * 1000 - 30_000));
}

let refreshing = null;
function refresh() {
  if (!session) return Promise.reject(new Error('Not signed in'));
  refreshing ??= tokenRequest({ grant_type: 'refresh_token', refresh_token: session.refreshToken })
    .then(keep)
    .finally(() => (refreshing = null));
  return refreshing;
}

async function tokenProvider() {
  if (!session) throw new Error('Not signed in');
  if (Date.now() > session.expiresAt - 10_000) await refresh();
  return session.accessToken;
}

function showSession() {
  const signedIn = !!session;
  $('login').hidden = signedIn;
  $('session').hidden = !signedIn;
  const roles = session?.claims.realm_access?.roles ?? [];
  $('who').textContent = signedIn ? `${session.claims.preferred_username} (${session.claims.tenant_id ?? '—'})` : '';
  // Only admins get these elements at all: for agents they would just collect a 403.
  const admin = $('admin');
  const board = $('board');
  const campaigns = $('campaigns');
  if (roles.includes('tenant-admin')) {
    if (!admin.firstElementChild) admin.append(document.createElement('voxdesk-provider-settings'));
    if (!board.firstElementChild) board.append(document.createElement('voxdesk-queue-board'));
    board.hidden = false;
    if (!campaigns.firstElementChild) campaigns.append(document.createElement('voxdesk-campaigns'));
    showMonitor();
    campaigns.hidden = false;
  } else {
    admin.replaceChildren();
    board.replaceChildren();
    board.hidden = true;
    campaigns.replaceChildren();
    campaigns.hidden = true;
  }
}

/** The monitor of the campaign chosen last (its "Monitor" button, or `?campaign=`), below the campaigns list. */
function showMonitor() {
  const campaigns = $('campaigns');
  if (!monitoredCampaign || !session) return;
  let monitor = campaigns.querySelector('voxdesk-campaign-monitor');
  if (!monitor) {
    monitor = document.createElement('voxdesk-campaign-monitor');
    campaigns.append(monitor);
  }
  // The token names the tenant, which spares the monitor a request to find its topic.
  if (session.claims.tenant_id) monitor.setAttribute('tenant', session.claims.tenant_id);
  monitor.setAttribute('campaign-id', monitoredCampaign);
}

$('campaigns').addEventListener('voxdesk-campaign-selected', (event) => {
  monitoredCampaign = event.detail.id;
  showMonitor();
  $('campaigns').querySelector('voxdesk-campaign-monitor')?.scrollIntoView({ behavior: 'smooth', block: 'start' });
});

function signOut() {
  clearTimeout(refreshTimer);
  session = null;
  configure({ tokenProvider: undefined });
  showSession();
}

$('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('login-error').textContent = '';
  try {
    keep(await tokenRequest({ grant_type: 'password', username: $('username').value, password: $('password').value }));
    configure({ tokenProvider });
    showSession();
  } catch (error) {
    $('login-error').textContent = `Não foi possível entrar: ${error.message}`;
  }
});

$('logout').addEventListener('click', signOut);

configure({ lang });
showSession();
