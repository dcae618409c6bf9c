import { configure, SESSION_EXPIRED_EVENT } from '/webphone/voxdesk-webphone.js';

// oidc-client-ts (its browser build, /webphone/vendor/oidc-client-ts.min.js) does the authorization code flow with
// PKCE against Keycloak: the password is typed into Keycloak's own page, never into this one.
const { UserManager, WebStorageStateStore } = window.oidc;

const params = new URLSearchParams(location.search);
const keycloak = (params.get('keycloak') || 'http://127.0.0.1:8180').replace(/\/+$/, '');
const ticket = params.get('ticket');
/** `?campaign=<id>` opens that campaign's monitor for admins (`./voxdesk demo` prints the demo campaign's id). */
let monitoredCampaign = params.get('campaign');

/** One language setting for the page and the components: `?lang=`, else the page's own (pt-BR). */
const lang = params.get('lang') || document.documentElement.lang || 'pt-BR';
const TEXTS = {
  'pt-BR': {
    heading: 'Voxdesk · CRM de demonstração',
    signIn: 'Entrar',
    signOut: 'Sair',
    signInFailed: 'Não foi possível entrar: {0}',
    expired: 'Sua sessão expirou.',
    signInAgain: 'Entrar de novo',
    ticketNone: 'Nenhum ticket aberto',
    noTicket: 'Sem ?ticket=<id> na URL: as ligações não ficam ligadas a um ticket.',
    contact: 'Contato',
    phones: 'Telefones',
    settings: 'Configurações',
    ticketMeta: 'Aberto em {0} · Situação: {1} · Prioridade: {2}',
    ticketNotFound: 'Não foi possível abrir o ticket {0}: {1}',
    noPhones: 'Sem telefones',
  },
  en: {
    heading: 'Voxdesk · demo CRM',
    signIn: 'Sign in',
    signOut: 'Sign out',
    signInFailed: 'Could not sign in: {0}',
    expired: 'Your session has expired.',
    signInAgain: 'Sign in again',
    ticketNone: 'No ticket open',
    noTicket: 'No ?ticket=<id> in the URL: calls are not linked to a ticket.',
    contact: 'Contact',
    phones: 'Phones',
    settings: 'Settings',
    ticketMeta: 'Opened {0} · Status: {1} · Priority: {2}',
    ticketNotFound: 'Could not open ticket {0}: {1}',
    noPhones: 'No phones',
  },
};
const words = TEXTS[lang.toLowerCase().startsWith('en') ? 'en' : 'pt-BR'];
const say = (key, ...args) => words[key].replace(/\{(\d)\}/g, (_, i) => String(args[Number(i)]));

const $ = (id) => document.getElementById(id);

document.documentElement.lang = lang;
for (const element of document.querySelectorAll('[data-text]')) {
  element.textContent = say(element.dataset.text);
}
configure({ lang });

/** The page's own address without the parameters Keycloak adds when it sends the user back. */
function pageUrl() {
  const url = new URL(location.href);
  for (const name of ['code', 'state', 'session_state', 'iss', 'error', 'error_description']) {
    url.searchParams.delete(name);
  }
  return url.toString();
}

const manager = new UserManager({
  authority: `${keycloak}/realms/voxdesk`,
  client_id: 'voxdesk-web',
  redirect_uri: pageUrl(),
  post_logout_redirect_uri: pageUrl(),
  response_type: 'code',
  scope: 'openid',
  // Renews the access token with the refresh token before it expires (Keycloak's last 5 minutes).
  automaticSilentRenew: true,
  userStore: new WebStorageStateStore({ store: window.sessionStorage }),
});

/** What the components call before each request and STOMP connection. */
async function getToken() {
  const user = await manager.getUser();
  if (!user || user.expired) {
    throw new Error('The session has expired');
  }
  return user.access_token;
}

function claims(jwt) {
  const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(part), (c) => c.charCodeAt(0))));
}

let session = null;

/**
 * Off to Keycloak's sign-in page. The header's button always shows Keycloak's form (`prompt=login`), so that one
 * browser can switch between the demo users; signing in again after an expired session uses Keycloak's own session
 * when it still has one.
 */
function signIn(options = {}) {
  $('login-error').textContent = '';
  manager.signinRedirect(options).catch((error) => {
    $('login-error').textContent = say('signInFailed', error.message);
  });
}

function showSession() {
  const signedIn = !!session;
  $('login').hidden = signedIn;
  $('session').hidden = !signedIn;
  if (signedIn) $('expired').hidden = true;
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

async function api(path) {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${await getToken()}`, Accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.detail || body.title || `HTTP ${response.status}`);
  return body;
}

/** The ticket of `?ticket=` as the API has it: subject, state, its contact and a call button per phone. */
async function showTicket() {
  if (!ticket) {
    $('no-ticket').hidden = false;
    return;
  }
  $('calls').setAttribute('ticket', ticket);
  try {
    const details = await api(`/api/tickets/${encodeURIComponent(ticket)}`);
    $('ticket-title').textContent = details.subject;
    document.title = `${details.subject} · Voxdesk demo`;
    $('ticket-meta').textContent = say('ticketMeta', new Date(details.createdAt).toLocaleString(lang), details.status, details.priority);
    $('ticket-error').hidden = true;
    if (!details.contactId) return;
    const contact = await api(`/api/contacts/${encodeURIComponent(details.contactId)}`);
    $('contact-name').textContent = contact.name;
    const phones = contact.phones.map((phone) => {
      const line = document.createElement('p');
      line.className = 'phone-line';
      const label = document.createElement('span');
      label.textContent = phone.label ? `${phone.raw} · ${phone.label}` : phone.raw;
      const button = document.createElement('voxdesk-call-button');
      button.setAttribute('number', phone.raw);
      button.setAttribute('ticket', ticket);
      button.setAttribute('contact', contact.id);
      line.append(label, button);
      return line;
    });
    $('contact-phones').replaceChildren(...(phones.length ? phones : [document.createTextNode(say('noPhones'))]));
    $('ticket-contact').hidden = false;
  } catch (error) {
    $('ticket-error').textContent = say('ticketNotFound', ticket, error.message);
    $('ticket-error').hidden = false;
  }
}

function signedIn(user) {
  session = { claims: claims(user.access_token) };
  configure({ getToken });
  showSession();
  showTicket();
}

function sessionOver() {
  $('expired').hidden = false;
}

manager.events.addUserLoaded((user) => {
  // A renewed token: the same person, nothing to redraw.
  session = { claims: claims(user.access_token) };
  $('expired').hidden = true;
});
manager.events.addAccessTokenExpired(sessionOver);
window.addEventListener(SESSION_EXPIRED_EVENT, sessionOver);

$('sign-in').addEventListener('click', () => signIn({ prompt: 'login' }));
$('sign-in-again').addEventListener('click', () => signIn());
$('logout').addEventListener('click', async () => {
  configure({ getToken: undefined });
  session = null;
  showSession();
  await manager.signoutRedirect().catch(() => manager.removeUser());
});

async function start() {
  const url = new URL(location.href);
  if (url.searchParams.has('code') || url.searchParams.has('error')) {
    try {
      await manager.signinRedirectCallback();
    } catch (error) {
      $('login-error').textContent = say('signInFailed', error.message);
    }
    history.replaceState(null, '', pageUrl());
  }
  const user = await manager.getUser();
  if (user && !user.expired) {
    signedIn(user);
  } else {
    showSession();
    if (!ticket) $('no-ticket').hidden = false;
  }
}

start();
