// SPDX-License-Identifier: EUPL-1.2
// Import a client's dossier from another Veerkracht installation (#/transfers/import; issue 5,
// docs/dossier.md §5), for the professional who receives the client — the roles that may register
// clients, as POST /api/v1/transfers checks. The professional chooses the package file the client
// brought (.vktp) and types the client's transfer key (13 groups of 4; case, spaces and hyphens do
// not matter — the server reads it that way). Before the import the page reads the file's plain
// header (sender, date, and the sender's fingerprint computed from its public key as the server
// does, to compare with the one the client was shown on #/me/take; the body is sealed), after it
// shows what the API answers: the new pseudonym, the sender's fingerprint again, the grant
// requests made, the organisations this installation does not know, what happens next, and the
// client's new login card (printable in the client's language and in Dutch, laid out as on the
// card page, #/clients/{id}/card). Errors in plain Dutch: wrong key or damaged file (422, at the
// field), imported before (409, with a link to that dossier), too large (413: an operator can use
// the command line). The key and the card code live only in this page's memory.

import { t, translator, formatDateTime } from '../i18n.js';
import { post } from '../api.js';
import { h, field, notice, pageTitle, errorText } from '../dom.js';
import { label } from '../codes.js';
import { loginCardSide } from './card.js';

const MAX_FILE = 8 * 1024 * 1024; // TRANSFER_MAX_BYTES: no package is larger
const MAX_KEY_TYPED = 120; // 52 characters with spaces or hyphens, and some slack
const MAGIC = 'VKTP\x01';

/* ---------- the sender's fingerprint, before anything is sent ---------- */

// BLAKE2b (RFC 7693), unkeyed, as libsodium's crypto_generichash: the fingerprint is the first 80
// bits of BLAKE2b-256(the sender's public key) in base32 groups (src/core/sec.c). WebCrypto has no
// BLAKE2b; the input is 32 bytes, so plain BigInt arithmetic is fast enough.
const IV = [0x6a09e667f3bcc908n, 0xbb67ae8584caa73bn, 0x3c6ef372fe94f82bn, 0xa54ff53a5f1d36f1n,
  0x510e527fade682d1n, 0x9b05688c2b3e6c1fn, 0x1f83d9abfb41bd6bn, 0x5be0cd19137e2179n];
const SIGMA = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
  [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4], [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
  [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13], [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
  [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11], [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
  [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5], [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
];
const M64 = (1n << 64n) - 1n;
const rotr = (x, n) => ((x >> BigInt(n)) | (x << BigInt(64 - n))) & M64;

function compress(h, block, t, last) {
  const m = [];
  for (let i = 0; i < 16; i++) {
    let w = 0n;
    for (let j = 7; j >= 0; j--) w = (w << 8n) | BigInt(block[i * 8 + j]);
    m.push(w);
  }
  const v = [...h, ...IV];
  v[12] ^= t & M64;
  v[13] ^= t >> 64n;
  if (last) v[14] ^= M64;
  const g = (a, b, c, d, x, y) => {
    v[a] = (v[a] + v[b] + x) & M64; v[d] = rotr(v[d] ^ v[a], 32);
    v[c] = (v[c] + v[d]) & M64; v[b] = rotr(v[b] ^ v[c], 24);
    v[a] = (v[a] + v[b] + y) & M64; v[d] = rotr(v[d] ^ v[a], 16);
    v[c] = (v[c] + v[d]) & M64; v[b] = rotr(v[b] ^ v[c], 63);
  };
  for (let r = 0; r < 12; r++) {
    const s = SIGMA[r % 10];
    g(0, 4, 8, 12, m[s[0]], m[s[1]]); g(1, 5, 9, 13, m[s[2]], m[s[3]]);
    g(2, 6, 10, 14, m[s[4]], m[s[5]]); g(3, 7, 11, 15, m[s[6]], m[s[7]]);
    g(0, 5, 10, 15, m[s[8]], m[s[9]]); g(1, 6, 11, 12, m[s[10]], m[s[11]]);
    g(2, 7, 8, 13, m[s[12]], m[s[13]]); g(3, 4, 9, 14, m[s[14]], m[s[15]]);
  }
  for (let i = 0; i < 8; i++) h[i] ^= v[i] ^ v[i + 8];
}

/** BLAKE2b of input with an outlen-byte digest (1..64), unkeyed. */
export function blake2b(input, outlen) {
  const h = IV.slice();
  h[0] ^= 0x01010000n ^ BigInt(outlen);
  const blocks = Math.max(1, Math.ceil(input.length / 128));
  for (let b = 0; b < blocks; b++) {
    const block = new Uint8Array(128);
    block.set(input.subarray(b * 128, b * 128 + 128));
    const last = b === blocks - 1;
    compress(h, block, BigInt(last ? input.length : (b + 1) * 128), last);
  }
  const out = new Uint8Array(outlen);
  for (let i = 0; i < outlen; i++) out[i] = Number((h[i >> 3] >> BigInt(8 * (i & 7))) & 0xffn);
  return out;
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** The fingerprint people compare (XXXX-XXXX-XXXX-XXXX) of a base64 Ed25519 public key, or ''. */
export function fingerprintOf(publicKeyB64) {
  let pk;
  try {
    pk = Uint8Array.from(atob(publicKeyB64), (c) => c.charCodeAt(0));
  } catch {
    return '';
  }
  if (pk.length !== 32) return '';
  const d = blake2b(pk, 32).subarray(0, 10);
  let bits = '';
  for (const x of d) bits += x.toString(2).padStart(8, '0');
  const chars = bits.match(/.{5}/g).map((b) => B32[parseInt(b, 2)]).join('');
  return chars.match(/.{4}/g).join('-');
}

/** The plain header of a package ({created, id, sender: {name}}), or null when it is not one. */
function readHeader(bytes) {
  if (bytes.length < 9 || String.fromCharCode(...bytes.subarray(0, 5)) !== MAGIC) return null;
  const len = new DataView(bytes.buffer, bytes.byteOffset + 5, 4).getUint32(0);
  if (len > bytes.length - 9) return null;
  try {
    const hdr = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(9, 9 + len)));
    return hdr && typeof hdr.sender?.name === 'string' ? hdr : null;
  } catch {
    return null;
  }
}

/** The file as base64, in chunks (a spread of a whole file would overflow the stack). */
function base64(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** The dossier a 409 names ("… dossier <pid>"), or null (erased since). */
const existingPid = (err) => (err.problem?.detail ?? '').match(/dossier ([0-9a-f]{32})/)?.[1] ?? null;

export function createTransferImportView(ctx) {
  const s = {
    file: null, // {name, bytes, header}
    key: '',
    busy: false,
    errors: {}, // field -> text
    conflict: null, // {madeHere, pid}
    msg: null, // text of a general error
    result: null, // the 201 answer
    sides: [], // card translators: the client's language (if not Dutch) and Dutch
  };

  function leave() {
    document.body.classList.remove('is-card-page');
    s.key = '';
    s.result = null; // the card code does not outlive the page
  }

  async function choose(e) {
    const f = e.target.files?.[0];
    s.file = null;
    s.errors = {};
    s.msg = null;
    s.conflict = null;
    if (f) {
      if (f.size > MAX_FILE) {
        s.errors.file = t('transfer.err_too_large');
      } else {
        const bytes = new Uint8Array(await f.arrayBuffer());
        const header = readHeader(bytes);
        if (!header) s.errors.file = t('transfer.err_package');
        else s.file = { name: f.name, bytes, header, fingerprint: fingerprintOf(header.sender.public_key ?? '') };
        const fpr = s.file?.fingerprint;
        if (fpr) ctx.announce(() => `${t('transfer.from')} ${header.sender.name}. ${t('transfer.fingerprint')} ${fpr}`);
      }
    }
    if (!ctx.isCurrent()) return;
    ctx.rerender();
    document.getElementById('transfer-file')?.focus();
  }

  function check() {
    const errs = {};
    if (!s.file && !s.errors.file) errs.file = t('transfer.err_no_file');
    if (s.errors.file) errs.file = s.errors.file;
    if (!s.key.replace(/[\s-]/g, '')) errs.key = t('transfer.err_no_key');
    return errs;
  }

  function failed(err) {
    if (err.status === 422) {
      const ptr = err.fieldErrors[0]?.pointer;
      if (ptr === '/key') s.errors.key = t('transfer.err_key');
      else if (ptr === '/package') s.errors.file = t('transfer.err_package');
      else s.msg = errorText(err);
    } else if (err.status === 409) {
      s.conflict = { madeHere: /made here/.test(err.problem?.detail ?? ''), pid: existingPid(err) };
    } else if (err.status === 413) {
      s.msg = t('transfer.err_too_large');
    } else {
      s.msg = errorText(err);
    }
  }

  async function submit(e) {
    e.preventDefault();
    if (s.busy) return;
    s.errors = check();
    s.msg = null;
    s.conflict = null;
    if (Object.keys(s.errors).length) {
      ctx.rerender();
      document.getElementById(s.errors.file ? 'transfer-file' : 'transfer-key')?.focus();
      return;
    }
    s.busy = true;
    ctx.rerender();
    try {
      const { data } = await post('/transfers', { package: base64(s.file.bytes), key: s.key.trim() });
      const own = await translator(data.card?.language || 'nl');
      const nl = await translator('nl');
      s.result = data;
      s.sides = own.lang === 'nl' ? [nl] : [own, nl];
      s.key = '';
      s.file = null;
      document.body.classList.add('is-card-page');
      ctx.announce(() => t('transfer.done'), 'success');
    } catch (err) {
      if (err.handled) return;
      failed(err);
    } finally {
      s.busy = false;
    }
    if (!ctx.isCurrent()) return;
    ctx.rerender();
    const focus = s.result ? 'transfer-result-title' : s.errors.file ? 'transfer-file'
      : s.errors.key ? 'transfer-key' : 'transfer-msg';
    document.getElementById(focus)?.focus();
  }

  function again() {
    leave();
    s.errors = {};
    s.msg = null;
    s.conflict = null;
    ctx.rerender();
    document.getElementById('transfer-file')?.focus();
  }

  /* ---------- the form ---------- */

  function fileInfo() {
    if (!s.file) return null;
    const hd = s.file.header;
    return h('div', { class: 'notice notice--info', id: 'transfer-sender-before' },
      h('p', null, t('transfer.from'), ' ', h('bdi', { dir: 'ltr', id: 'transfer-sender-name' }, hd.sender.name)),
      hd.created ? h('p', null, t('transfer.made_on', { date: formatDateTime(hd.created) })) : null,
      s.file.fingerprint
        ? [h('p', null, t('transfer.fingerprint'), ' ',
          h('bdi', { dir: 'ltr', id: 'transfer-fingerprint-before' }, s.file.fingerprint.replaceAll('-', '\u2011'))),
        h('p', null, t('transfer.fingerprint_check'))]
        : null);
  }

  function conflictNotice() {
    const c = s.conflict;
    if (!c) return null;
    const text = t(c.madeHere ? 'transfer.err_made_here' : 'transfer.err_imported');
    return h('div', { id: 'transfer-msg', tabindex: '-1' }, notice('error',
      h('p', null, text),
      c.pid
        ? h('p', null, h('a', { href: `#/clients/${encodeURIComponent(c.pid)}`, id: 'transfer-existing' },
          t('transfer.open_existing'), ' ', h('bdi', { dir: 'ltr', translate: 'no' }, c.pid)))
        : h('p', null, t('transfer.err_erased'))));
  }

  function form() {
    const fileInput = h('input', { type: 'file', accept: '.vktp,application/octet-stream', onchange: choose });
    const keyInput = h('input', { type: 'text', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false',
      dir: 'ltr', maxlength: String(MAX_KEY_TYPED), value: s.key, oninput: (e) => { s.key = e.target.value; } });
    return h('section', { class: 'card', 'aria-labelledby': 'transfer-form-title', id: 'transfer-form-card' },
      h('h2', { class: 'card__title', id: 'transfer-form-title' }, t('transfer.form_title')),
      s.msg ? h('div', { id: 'transfer-msg', tabindex: '-1' }, notice('error', s.msg)) : null,
      conflictNotice(),
      h('form', { class: 'form', id: 'transfer-form', novalidate: true, onsubmit: submit },
        field({ id: 'transfer-file', label: t('transfer.file_label'), hint: t('transfer.file_hint'), error: s.errors.file, control: fileInput }),
        s.file ? h('p', { class: 'muted' }, h('bdi', null, s.file.name)) : null,
        fileInfo(),
        field({ id: 'transfer-key', label: t('transfer.key_label'), hint: t('transfer.key_hint'), error: s.errors.key, control: keyInput }),
        h('div', { class: 'form__actions' },
          h('button', { type: 'submit', class: 'button', id: 'transfer-submit', disabled: s.busy },
            s.busy ? t('form.busy') : t('transfer.submit')))));
  }

  /* ---------- the result ---------- */

  function requestItem(g) {
    const scopes = (g.scopes ?? []).map((sc) => label('scopes', sc)).join(', ');
    return h('li', { 'data-org': g.organization?.id },
      h('strong', null, h('bdi', null, g.organization?.name ?? '')), ' — ', scopes, ' — ',
      t('transfer.request_days', { days: g.days }));
  }

  function result() {
    const r = s.result;
    const unknown = r.unknown_orgs ?? [];
    return [
      h('section', { class: 'card no-print', 'aria-labelledby': 'transfer-result-title', id: 'transfer-result' },
        h('h2', { class: 'card__title', id: 'transfer-result-title', tabindex: '-1' }, t('transfer.done')),
        h('p', null, t('transfer.new_pid'), ' ', h('code', { id: 'transfer-pid', dir: 'ltr', translate: 'no' }, r.client_id)),
        h('p', null, t('transfer.from'), ' ', h('bdi', { dir: 'ltr' }, r.sender?.name ?? '')),
        h('p', null, t('transfer.fingerprint'), ' ',
          h('bdi', { dir: 'ltr', id: 'transfer-fingerprint' }, (r.sender?.fingerprint ?? '').replaceAll('-', '\u2011'))),
        notice('info', t('transfer.fingerprint_compare')),
        h('p', { id: 'transfer-screenings' }, t('transfer.screenings', { recreated: r.screenings?.recreated ?? 0, kept: r.screenings?.kept ?? 0 })),
        h('h3', null, t('transfer.next_title')),
        h('ol', { class: 'stack', id: 'transfer-next' },
          h('li', null, t('transfer.next_card')),
          h('li', null, t('transfer.next_login')),
          h('li', null, t('transfer.next_accept')),
          h('li', null, t('transfer.next_access'))),
        h('h3', null, t('transfer.requests_title')),
        (r.grant_requests ?? []).length
          ? h('ul', { id: 'transfer-requests' }, r.grant_requests.map(requestItem))
          : h('p', null, t('transfer.requests_none')),
        unknown.length ? [
          h('h3', null, t('transfer.unknown_title')),
          h('p', null, t('transfer.unknown_intro')),
          h('ul', { id: 'transfer-unknown' }, unknown.map((n) => h('li', null, h('bdi', null, n)))),
        ] : null,
        h('h3', null, t('transfer.card_title')),
        notice('info', h('strong', null, t('card.only_now'))),
        h('div', { class: 'form__actions' },
          h('button', { type: 'button', class: 'button', id: 'transfer-print', onclick: () => window.print() }, t('card.print')),
          h('button', { type: 'button', class: 'button button--secondary', id: 'transfer-again', onclick: again }, t('transfer.again')))),
      h('div', { class: ['card-sheet', 'card-sheet--a6'], id: 'card-sheet' }, s.sides.map((tr, i) => loginCardSide(s.result.card, tr, i))),
    ];
  }

  function render() {
    return h('div', { class: 'stack' },
      h('p', { class: 'breadcrumb no-print' }, h('a', { href: '#/clients' }, t('transfer.back'))),
      pageTitle(t('transfer.title')),
      h('p', { class: 'lead no-print' }, t('transfer.intro')),
      s.result ? result() : form());
  }

  return { title: () => t('transfer.title'), render, leave };
}

/** The link on the caseload page. */
export function transferImportLink() {
  return h('p', null, h('a', { class: 'button button--secondary', id: 'transfer-import-link', href: '#/transfers/import' }, t('transfer.link')));
}

