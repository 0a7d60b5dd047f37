// SPDX-License-Identifier: EUPL-1.2
// Translations for the web UI. Every visible string comes from /locales/<lang>.json; Dutch is
// always loaded as well and fills any key the chosen locale lacks. Also formats dates and picks
// plural forms for the current language, and keeps <html lang> and dir in step.

export const LANGS = ['nl', 'en', 'ar', 'fa', 'ti', 'so', 'tr', 'uk'];
/** Each language's own name, for the switcher (shown in its own script, whatever the UI language). */
export const LANG_NAMES = {
  nl: 'Nederlands', en: 'English', ar: 'العربية', fa: 'فارسی', ti: 'ትግርኛ', so: 'Soomaali', tr: 'Türkçe', uk: 'Українська',
};
const RTL = new Set(['ar', 'fa']);
const DEFAULT_LANG = 'nl';
const STORAGE_KEY = 'vk.lang';
const TIME_ZONE = 'Europe/Amsterdam';

const cache = new Map();
let lang = DEFAULT_LANG;
let dict = {};
let fallback = {};
const listeners = new Set();

async function fetchLocale(code) {
  if (cache.has(code)) return cache.get(code);
  const res = await fetch(`/locales/${code}.json`, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`locale ${code}: HTTP ${res.status}`);
  const data = await res.json();
  cache.set(code, data);
  return data;
}

function storedLang() {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return LANGS.includes(v) ? v : DEFAULT_LANG;
  } catch {
    return DEFAULT_LANG;
  }
}

/** Load Dutch plus the stored language; never throws (falls back to Dutch, then to keys). */
export async function initI18n() {
  try {
    fallback = await fetchLocale(DEFAULT_LANG);
  } catch {
    fallback = {};
  }
  await setLang(storedLang(), { persist: false, notify: false });
}

/** Switch language: load it, remember it, update <html>, and tell listeners to re-render. */
export async function setLang(code, { persist = true, notify = true } = {}) {
  if (!LANGS.includes(code)) code = DEFAULT_LANG;
  try {
    dict = await fetchLocale(code);
  } catch {
    code = DEFAULT_LANG;
    dict = fallback;
  }
  lang = code;
  if (persist) {
    try { localStorage.setItem(STORAGE_KEY, code); } catch { /* private mode: keep in memory */ }
  }
  document.documentElement.lang = code;
  document.documentElement.dir = dirOf(code);
  applyStatic(document);
  if (notify) for (const fn of listeners) fn(code);
}

export function getLang() {
  return lang;
}

/** 'rtl' for right-to-left languages (Arabic, Persian), else 'ltr'. */
export function dirOf(code) {
  return RTL.has(String(code).split('-')[0]) ? 'rtl' : 'ltr';
}

/**
 * A t()-like function fixed to one language, whatever the UI language is: used where one screen
 * speaks to two people (the client in their language, the volunteer in Dutch). Falls back to Dutch.
 * Resolves to t(key, vars) with .lang, .dir and .tp(key, count, vars).
 */
export async function translator(code) {
  const base = String(code || DEFAULT_LANG).split('-')[0];
  let d = {};
  if (LANGS.includes(base)) {
    try { d = await fetchLocale(base); } catch { d = {}; }
  }
  const used = LANGS.includes(base) && Object.keys(d).length ? base : DEFAULT_LANG;
  const fn = (key, vars) => interpolate(lookup(d, key) ?? lookup(fallback, key) ?? key, vars);
  fn.lang = used;
  fn.dir = dirOf(used);
  fn.tp = (key, count, vars = {}) => {
    const cat = new Intl.PluralRules(used).select(count);
    const all = { count: new Intl.NumberFormat(used).format(count), ...vars };
    return lookup(d, `${key}.${cat}`) !== undefined || lookup(fallback, `${key}.${cat}`) !== undefined
      ? fn(`${key}.${cat}`, all) : fn(`${key}.other`, all);
  };
  return fn;
}

export function onLangChange(fn) {
  listeners.add(fn);
}

function lookup(obj, key) {
  let cur = obj;
  for (const part of key.split('.')) {
    if (cur == null || typeof cur !== 'object' || !(part in cur)) return undefined;
    cur = cur[part];
  }
  return typeof cur === 'string' ? cur : undefined;
}

/** True when the key exists in the current locale or in the Dutch fallback. */
export function has(key) {
  return lookup(dict, key) !== undefined || lookup(fallback, key) !== undefined;
}

function interpolate(s, vars) {
  if (!vars) return s;
  return s.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

/** The string for `key` with {placeholders} filled from `vars`; the key itself when missing. */
export function t(key, vars) {
  const s = lookup(dict, key) ?? lookup(fallback, key) ?? key;
  return interpolate(s, vars);
}

/** Plural-aware t(): looks up `key.<category>` (one, two, few, many, other) for `count`. */
export function tp(key, count, vars = {}) {
  const cat = new Intl.PluralRules(lang).select(count);
  const all = { count: formatNumber(count), ...vars };
  if (has(`${key}.${cat}`)) return t(`${key}.${cat}`, all);
  return t(`${key}.other`, all);
}

/**
 * Like t(), but placeholders may be DOM nodes (e.g. links); returns an array of strings and
 * nodes to append. Used where a translated sentence wraps interactive parts.
 */
export function tNodes(key, nodes) {
  const s = t(key);
  const out = [];
  let last = 0;
  for (const m of s.matchAll(/\{(\w+)\}/g)) {
    if (!(m[1] in nodes)) continue;
    out.push(s.slice(last, m.index), nodes[m[1]]);
    last = m.index + m[0].length;
  }
  out.push(s.slice(last));
  return out.filter((x) => x !== '');
}

export function formatNumber(n) {
  return new Intl.NumberFormat(lang).format(n);
}

const DIGITS = { day: '2-digit', month: '2-digit', year: 'numeric' };

/**
 * Whether this browser has date and list words for the language. Chromium has none for Tigrinya
 * and Somali: their dates are then written in digits (23-11-2026), never in English words.
 */
function hasIntl(l) {
  return Intl.DateTimeFormat.supportedLocalesOf([l]).length > 0;
}

function toDate(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Date and time, e.g. "21 nov 2026 14:05"; '' for a missing or unparsable value. */
export function formatDateTime(iso) {
  const d = iso ? toDate(iso) : null;
  if (!d) return '';
  if (!hasIntl(lang)) return new Intl.DateTimeFormat('nl', { ...DIGITS, hour: '2-digit', minute: '2-digit', timeZone: TIME_ZONE }).format(d);
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: TIME_ZONE }).format(d);
}

/** Date only, e.g. "21 november 2026". */
export function formatDate(iso) {
  const d = iso ? toDate(iso) : null;
  if (!d) return '';
  if (!hasIntl(lang)) return new Intl.DateTimeFormat('nl', { ...DIGITS, timeZone: TIME_ZONE }).format(d);
  return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: TIME_ZONE }).format(d);
}

/** "a, b and c" in the current language (Arabic uses its own comma and conjunction). */
export function formatList(items) {
  // No list words for the language in this browser (Tigrinya, Somali in Chromium): commas, not English.
  if (!hasIntl(lang)) return items.join(', ');
  return new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' }).format(items);
}

/** A comparator that sorts strings the way readers of the current language expect. */
export function collator() {
  return new Intl.Collator(lang);
}

/**
 * Fill static markup: [data-i18n="key"] gets its text, [data-i18n-attr="attr:key;attr:key"] its
 * attributes. Used for index.html and for nothing built in JS (views call t() directly).
 */
export function applyStatic(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':');
      if (attr && key) el.setAttribute(attr.trim(), t(key.trim()));
    }
  }
}
