// SPDX-License-Identifier: EUPL-1.2
// The signalling conversation (#/clients/{id}/signal). Steps: setup (instrument fitting the
// client's age, conversation language, mode) → intro → one question per screen → outro, where
// the screening is submitted (POST /clients/{id}/screenings) and the volunteer opens the result.
//
// Two modes. Client mode: the phone is handed over; the whole page switches to the client's
// language, big answer buttons with icons, a read-aloud button wherever the server gives audio,
// the navigation and user bar are hidden and the back button is locked. Interviewer mode: the
// volunteer asks; each question shows the Dutch text on top and the client's language below.
//
// A red-flag answer interrupts at once (redflag.js): the flag is raised by hand on the server,
// the protocol shown, and only a recorded action closes it. The volunteer can also raise one by
// hand at every moment ("Ik maak me zorgen over de veiligheid"). Nothing here shows a score or a
// risk label to the client.

import { t, translator, getLang, setLang, dirOf, formatList, LANG_NAMES } from '../i18n.js';
import { get, post, lastActivity } from '../api.js';
import { h, field, choiceGroup, select, notice, pageTitle, errorText } from '../dom.js';
import { label } from '../codes.js';
import { icon, hasIcon } from '../icons.js';
import { openRedFlag } from '../redflag.js';

const KEEPALIVE_MS = 60000;

/** The text of a localised value: {text, nl} from the API (or a plain language map as a fallback). */
function txt(v, lang) {
  if (v == null) return '';
  if (typeof v === 'string') return v;
  if (typeof v.text === 'string') return v.text;
  return v[lang] ?? v.nl ?? '';
}

function dutch(v) {
  if (v == null) return '';
  if (typeof v === 'string') return v;
  return v.nl ?? v.text ?? '';
}

function compare(a, op, b) {
  switch (op) {
    case '==': return a === b;
    case '!=': return a !== b;
    case '>=': return a >= b;
    case '>': return a > b;
    case '<=': return a <= b;
    case '<': return a < b;
    default: return false;
  }
}

const TELS = { '112': 'tel:112', '113': 'tel:113', '0800-0113': 'tel:08000113' };

/**
 * Text with its crisis numbers as tappable tel: links and every other number run (e.g. a date)
 * isolated left-to-right: inside Arabic or Persian text "0800-0113" would otherwise be shown as
 * "0113-0800" by the bidi algorithm.
 */
function rich(text) {
  const out = [];
  let last = 0;
  for (const m of String(text).matchAll(/\b(0800-0113|112|113|\d+(?:[-/.]\d+)+)\b/g)) {
    out.push(text.slice(last, m.index));
    out.push(TELS[m[1]]
      ? h('a', { href: TELS[m[1]], dir: 'ltr', class: 'tel-link tel-link--inline' }, m[1])
      : h('span', { dir: 'ltr', class: 'num' }, m[1]));
    last = m.index + m[0].length;
  }
  out.push(text.slice(last));
  return out.filter((x) => x !== '');
}

/** The item a condition is about: {"item": "x"} (API) or {"ref": "item:x"} (definition file). */
function condItem(c) {
  if (!c) return null;
  if (typeof c.item === 'string') return c.item;
  if (typeof c.ref === 'string' && c.ref.startsWith('item:')) return c.ref.slice(5);
  return null;
}

/** A red flag as {id, item, op, value, severity, protocol}, whichever shape the server sends. */
function flagRule(f) {
  const when = f.when || f;
  return { id: f.id, item: condItem(when) ?? f.item, op: when.op ?? f.op, value: when.value ?? f.value, severity: f.severity, protocol: f.protocol };
}

export function createSignalView(ctx, clientId) {
  const path = `/clients/${encodeURIComponent(clientId)}`;
  const s = {
    client: null, instruments: [], fit: [], age: null, instrumentsError: null,
    choice: { instrument: '', lang: '', mode: '' }, setupErrors: {}, starting: false, startError: null,
    def: null, summary: null, lang: 'nl', mode: 'client',
    step: 'setup', current: null, answers: {}, resume: null, returnStep: null,
    flags: [], lastFlag: null,
    saving: false, saveError: null, screening: null,
    confirmStop: false, switching: false,
    ct: null, vt: null, prevLang: null, release: null,
    root: null, toolbarEl: null, progressEl: null, liveEl: null, barEl: null, stageEl: null, audioEl: null,
  };

  /* ---------- loading and setup ---------- */

  async function load() {
    s.client = (await get(path)).data;
    s.age = typeof s.client.year_of_birth === 'number' ? new Date().getFullYear() - s.client.year_of_birth : null;
    if (!hasSignal()) return;
    try {
      const { data } = await get(`/instruments?lang=${encodeURIComponent(getLang())}`);
      s.instruments = Array.isArray(data?.items) ? data.items : [];
    } catch (err) {
      if (err.handled) throw err;
      s.instrumentsError = err;
    }
    s.fit = s.age == null ? [] : s.instruments.filter((i) => i.age && s.age >= i.age.min && s.age <= i.age.max);
    if (s.fit.length) pickInstrument(s.fit[0].id);
  }

  function hasSignal() {
    return Array.isArray(s.client?.scopes) && s.client.scopes.includes('signal');
  }

  function pickInstrument(id) {
    const inst = s.fit.find((i) => i.id === id) || null;
    s.choice.instrument = inst ? inst.id : '';
    if (!inst) return;
    const langs = Object.keys(inst.languages || { nl: {} });
    // Dari (prs) is close enough to Persian to suggest it; the volunteer can always change it.
    const own = { prs: 'fa' }[String(s.client.language || '').split('-')[0]] || String(s.client.language || '').split('-')[0];
    if (!langs.includes(s.choice.lang)) s.choice.lang = langs.includes(s.client.language) ? s.client.language : langs.includes(own) ? own : 'nl';
    if (!s.choice.mode) s.choice.mode = inst.respondent === 'interviewer' ? 'interviewer' : 'client';
  }

  function chosenSummary() {
    return s.fit.find((i) => i.id === s.choice.instrument) || null;
  }

  async function begin(e) {
    e.preventDefault();
    if (s.starting) return;
    const inst = chosenSummary();
    s.setupErrors = {};
    if (!inst) s.setupErrors.instrument = true;
    if (!s.choice.lang) s.setupErrors.lang = true;
    if (!['client', 'interviewer'].includes(s.choice.mode)) s.setupErrors.mode = true;
    if (Object.keys(s.setupErrors).length) {
      update();
      const first = ['instrument', 'lang', 'mode'].find((k) => s.setupErrors[k]);
      document.getElementById(`signal-${first}`)?.focus();
      return;
    }
    s.starting = true;
    s.startError = null;
    update(false);
    const lang = s.choice.lang;
    try {
      const { data } = await get(`/instruments/${encodeURIComponent(inst.id)}?lang=${encodeURIComponent(lang)}`);
      s.def = data;
      [s.ct, s.vt] = await Promise.all([translator(lang), translator(getLang())]);
    } catch (err) {
      s.starting = false;
      if (err.handled) return;
      s.startError = err;
      update();
      document.getElementById('signal-start-error')?.focus();
      return;
    }
    s.starting = false;
    s.summary = inst;
    s.lang = lang;
    s.mode = s.choice.mode;
    s.answers = {};
    s.step = 'intro';
    if (s.mode === 'client') {
      // The phone goes to the client: their language everywhere, no navigation, no back button.
      s.prevLang = getLang();
      s.release = ctx.lockNavigation();
      document.body.classList.add('is-client-mode');
      if (getLang() !== lang) await setLang(lang, { persist: false });
    } else {
      // Interviewer mode keeps the navigation, but leaving asks first: the answers would be lost.
      s.release = ctx.guardNavigation(t('signal.leave_confirm'));
    }
    if (!ctx.isCurrent()) return;
    update();
  }

  /** The client chose another language from the header during client mode: follow it. */
  async function followLanguage(code) {
    if (s.switching || !s.summary?.languages?.[code]) return;
    s.switching = true;
    try {
      const { data } = await get(`/instruments/${encodeURIComponent(s.def.id)}?lang=${encodeURIComponent(code)}`);
      s.def = data;
      s.ct = await translator(code);
      s.lang = code;
    } catch (err) {
      if (err.handled) return;
    } finally {
      s.switching = false;
    }
    if (ctx.isCurrent()) update();
  }

  /** Give the page back to the volunteer: their language, the navigation, the back button. */
  async function handBack() {
    document.body.classList.remove('is-client-mode');
    if (s.release) { s.release(); s.release = null; }
    if (s.prevLang && s.prevLang !== getLang()) {
      const lang = s.prevLang;
      s.prevLang = null;
      await setLang(lang);
    }
    s.prevLang = null;
  }

  function leave() {
    stopAudio();
    document.body.classList.remove('is-client-mode');
    if (s.release) { s.release(); s.release = null; }
    if (s.prevLang) {
      const lang = s.prevLang;
      s.prevLang = null;
      setLang(lang);
    }
  }

  /* ---------- the flow ---------- */

  function items() {
    return Array.isArray(s.def?.items) ? s.def.items : [];
  }

  function shown(item) {
    const c = item.show_if;
    if (!c) return true;
    const ref = condItem(c);
    if (!ref) return true;
    const v = s.answers[ref];
    return v !== undefined && compare(v, c.op, c.value);
  }

  function visible() {
    return items().filter(shown);
  }

  /** Drop answers to questions that are no longer asked (the server refuses them). */
  function pruneHidden() {
    for (let changed = true; changed;) {
      changed = false;
      for (const it of items()) {
        if (s.answers[it.id] !== undefined && !shown(it)) {
          delete s.answers[it.id];
          changed = true;
        }
      }
    }
  }

  function options(item) {
    if (Array.isArray(item.options) && item.options.length && item.type !== 'scale') return item.options;
    if (item.type === 'scale' && Number.isInteger(item.min) && Number.isInteger(item.max) && item.max - item.min <= 10) {
      const labelled = new Map((item.options || []).map((o) => [o.value, o]));
      const out = [];
      for (let v = item.min; v <= item.max; v++) out.push(labelled.get(v) || { value: v, label: { text: String(v), nl: String(v) } });
      return out;
    }
    return item.options || [];
  }

  function keepAlive() {
    // A conversation makes no requests between questions; keep the session from idling out.
    if (Date.now() - lastActivity() > KEEPALIVE_MS) get('/me').catch(() => {});
  }

  function goTo(step, current = null) {
    stopAudio();
    s.step = step;
    s.current = current;
    s.confirmStop = false;
    if (step === 'outro' && !s.screening) submit();
    update();
  }

  function start() {
    const first = visible()[0];
    if (first) goTo('question', first.id);
    else goTo('outro');
  }

  /** The step after `id` in the current flow: {step, current}. */
  function after(id) {
    const list = visible();
    const i = list.findIndex((it) => it.id === id);
    const next = list[i + 1];
    return next ? { step: 'question', current: next.id } : { step: 'outro', current: null };
  }

  function back() {
    const list = visible();
    const i = list.findIndex((it) => it.id === s.current);
    if (i > 0) goTo('question', list[i - 1].id);
    else goTo('intro');
  }

  function answer(item, value) {
    s.answers[item.id] = value;
    pruneHidden();
    keepAlive();
    const next = after(item.id);
    const rule = (s.def.red_flags || []).map(flagRule)
      .find((r) => r.item === item.id && compare(value, r.op, r.value));
    if (rule && !s.flags.some((f) => f.rule?.id === rule.id)) {
      raiseFromAnswer(rule, item, value, next);
      return;
    }
    goTo(next.step, next.current);
  }

  function raiseFromAnswer(rule, item, value, next) {
    stopAudio();
    const opt = options(item).find((o) => o.value === value);
    const about = `${dutch(item.text)} — ${dutch(opt?.label) || value} (${s.def.id} ${s.def.version}, ${item.id})`;
    s.resume = next;
    openRedFlag({
      ctx, clientId, protocol: rule.protocol, flagId: rule.id, source: 'answer', mode: s.mode, clientLang: s.lang,
      about, minor: s.age != null && s.age < 18,
      onDone: (r) => {
        s.flags.push({ rule, ...r });
        s.lastFlag = r;
        s.returnStep = null;
        goTo('flagged');
      },
    });
  }

  function raiseByHand() {
    stopAudio();
    openRedFlag({
      ctx, clientId, protocol: null, source: 'manual', mode: 'interviewer', clientLang: s.lang,
      minor: s.age != null && s.age < 18,
      onDone: (r) => {
        s.flags.push({ rule: null, ...r });
        s.lastFlag = r;
        s.resume = { step: s.step, current: s.current };
        goTo('flagged');
      },
      onCancel: () => document.getElementById('signal-flag')?.focus(),
    });
  }

  async function submit() {
    if (s.saving || s.screening) return;
    s.saving = true;
    s.saveError = null;
    const answers = {};
    for (const it of visible()) if (s.answers[it.id] !== undefined) answers[it.id] = s.answers[it.id];
    try {
      const { data } = await post(`${path}/screenings`, {
        instrument: s.def.id, version: s.def.version, language: s.lang, mode: s.mode, answers,
      });
      s.screening = data;
      await copyActions(data);
    } catch (err) {
      if (err.handled) return;
      s.saveError = err;
    } finally {
      s.saving = false;
    }
    if (ctx.isCurrent() && s.step === 'outro') fillStage(false);
  }

  /**
   * The server takes over the flag raised during the conversation (same id). Should it still have
   * raised one of its own (say, the on-answer raise failed), what the volunteer recorded is
   * recorded on that one as well, so that it does not look as if nothing had been done.
   */
  async function copyActions(screening) {
    const raised = screening?.result?.red_flags || [];
    for (const rf of raised) {
      if (!rf?.id || rf.state !== 'open') continue;
      if (s.flags.some((f) => f.flag?.id === rf.id)) continue; // the very flag we raised
      const mine = s.flags.find((f) => f.rule && (f.rule.id === rf.flag || f.rule.protocol === rf.protocol) && !f.copied);
      if (!mine) continue;
      mine.copied = true;
      for (const action of mine.actions) {
        try {
          // eslint-disable-next-line no-await-in-loop -- in order, one after the other
          await post(`/red-flags/${encodeURIComponent(rf.id)}/actions`, { action, note: mine.note });
        } catch (err) {
          if (err.handled) throw err;
        }
      }
    }
  }

  async function viewResult() {
    const sid = s.screening?.id;
    if (!sid) return;
    await handBack();
    ctx.navigate(`#/clients/${encodeURIComponent(clientId)}/screenings/${encodeURIComponent(sid)}`);
  }

  async function stopNow() {
    stopAudio();
    s.confirmStop = false;
    await handBack();
    goTo('stopped');
  }

  async function toClientPage() {
    await handBack();
    ctx.navigate(`#/clients/${encodeURIComponent(clientId)}`);
  }

  /* ---------- audio ---------- */

  function stopAudio() {
    const a = s.audioEl;
    if (a && !a.paused) a.pause();
    for (const b of document.querySelectorAll('.read-aloud.is-playing')) b.classList.remove('is-playing');
  }

  function play(url, btn) {
    const a = s.audioEl;
    if (!a) return;
    const same = a.getAttribute('src') === url;
    if (same && !a.paused) {
      stopAudio();
      return;
    }
    stopAudio();
    if (!same) a.setAttribute('src', url);
    a.currentTime = 0;
    btn.classList.add('is-playing');
    a.play().catch(() => btn.classList.remove('is-playing'));
  }

  /** The translator for the screen's own words: the client's language in client mode, else the volunteer's. */
  function ui() {
    return s.mode === 'client' ? s.ct : s.vt;
  }

  /** A read-aloud button, or null (absent, not disabled) when there is no audio. */
  function readAloud(url, name, { big = false, id } = {}) {
    if (!url) return null;
    const btn = h('button', {
      type: 'button', class: ['read-aloud', big && 'read-aloud--big'], id, 'data-audio': url,
      'aria-label': name, title: name,
    }, icon('speaker'), big ? h('span', { class: 'read-aloud__text', 'aria-hidden': 'true' }, ui()('signal.read_aloud')) : null);
    btn.addEventListener('click', () => play(url, btn));
    return btn;
  }

  /**
   * Audio for the intro or outro. The definition carries `audio` at the top: the intro's URL (or
   * null when the language has neither voice nor recording). The outro lives next to it.
   */
  function textAudio(key) {
    const a = s.def?.audio;
    if (a && typeof a === 'object') return a[key] || null;
    if (typeof a !== 'string' || !a) return null;
    return key === 'intro' ? a : a.replace(/\/intro$/, `/${key}`);
  }

  /** Audio for an item's help text: beside the item's own (`…/item.ID` → `…/help.ID`). */
  function helpAudio(item) {
    if (item.audio?.help) return item.audio.help;
    const url = item.audio?.text;
    if (!url || !item.help) return null;
    const next = url.replace(/\/item\.([^/]+)$/, '/help.$1');
    return next === url ? null : next;
  }

  /* ---------- rendering ---------- */

  /** In interviewer mode a text is shown in Dutch, with the client's language below it. */
  function both(v, cls, tag = 'p', attrs = {}) {
    const nlText = dutch(v);
    const own = txt(v, s.lang);
    if (s.mode !== 'interviewer' || s.lang === 'nl' || !own || own === nlText) {
      return h(tag, { ...attrs, class: cls, lang: s.lang, dir: dirOf(s.lang) }, rich(own || nlText));
    }
    return h(tag, { ...attrs, class: [cls, 'bilingual'] },
      h('span', { class: 'bilingual__nl', lang: 'nl', dir: 'ltr' }, rich(nlText)),
      h('span', { class: 'bilingual__own', lang: s.lang, dir: dirOf(s.lang) }, rich(own)));
  }

  /** Volunteer-facing block: in the volunteer's language even while the page speaks the client's. */
  function vblock(tag, attrs, ...children) {
    const vt = s.vt || t;
    return h(tag, { ...attrs, lang: vt.lang || getLang(), dir: vt.dir || dirOf(getLang()) }, ...children);
  }

  function toolbar() {
    if (s.step === 'setup' || s.step === 'stopped') return [];
    const vt = s.vt;
    const saved = Boolean(s.screening);
    const out = [h('button', {
      type: 'button', class: 'button button--danger button--small convo__flag', id: 'signal-flag', onclick: raiseByHand,
      lang: vt.lang, dir: vt.dir,
    }, icon('alert'), vt('signal.flag_button'))];
    if (!saved && s.step !== 'flagged') {
      // Stopping is the client's right ("U kunt op elk moment stoppen"): in client mode the stop
      // button and its question speak the client's language.
      const st = ui();
      out.push(s.confirmStop
        ? h('div', { class: 'convo__stop-confirm', role: 'group', 'aria-labelledby': 'signal-stop-q', lang: st.lang, dir: st.dir },
          h('p', { id: 'signal-stop-q' }, st('signal.stop_confirm')),
          h('div', { class: 'form__actions' },
            h('button', { type: 'button', class: 'button button--danger button--small', id: 'signal-stop-yes', onclick: stopNow }, st('signal.stop_yes')),
            h('button', {
              type: 'button', class: 'button button--secondary button--small', id: 'signal-stop-no',
              onclick: () => { s.confirmStop = false; fillToolbar(); document.getElementById('signal-stop')?.focus(); },
            }, st('signal.stop_no'))))
        : h('button', {
          type: 'button', class: 'button button--secondary button--small', id: 'signal-stop', lang: st.lang, dir: st.dir,
          onclick: () => { s.confirmStop = true; fillToolbar(); document.getElementById('signal-stop-no')?.focus(); },
        }, st('signal.stop')));
    }
    return out;
  }

  function setupStep() {
    const c = s.client;
    const heading = pageTitle(t('signal.setup_title'));
    const who = h('p', { class: 'lead' }, s.age != null
      ? t('signal.client_line', { year: c.year_of_birth, age: s.age })
      : t('client.title'));
    const crumb = h('p', { class: 'breadcrumb' }, h('a', { href: `#/clients/${encodeURIComponent(clientId)}` }, t('screening.back')));
    if (!hasSignal()) return [crumb, heading, who, notice('info', t('signal.no_scope'))];
    if (s.instrumentsError) return [crumb, heading, who, notice('error', errorText(s.instrumentsError))];
    if (!s.fit.length) {
      return [crumb, heading, who, h('div', { id: 'signal-none' }, notice('info', s.age != null
        ? t('signal.no_instrument', { age: s.age }) : t('signal.no_age')))];
    }
    const inst = chosenSummary();
    const langs = inst ? Object.entries(inst.languages || { nl: {} }) : [];
    const err = (k) => (s.setupErrors[k] ? t(`signal.errors.${k}`) : null);
    return [crumb, heading, who,
      h('p', null, t('signal.setup_intro')),
      h('form', { class: 'form card', novalidate: true, onsubmit: begin, id: 'signal-setup' },
        s.startError ? h('div', { id: 'signal-start-error', tabindex: '-1' }, notice('error', errorText(s.startError))) : null,
        choiceGroup({
          id: 'signal-instrument', legend: t('signal.instrument'), error: err('instrument'), type: 'radio', name: 'instrument',
          options: s.fit.map((i) => ({
            value: i.id, label: i.title || i.title_nl || i.id,
            description: [t('signal.age_range', { min: i.age.min, max: i.age.max }), t(`signal.respondent.${i.respondent}`)].join(' '),
          })),
          checked: s.choice.instrument,
          onchange: (e) => { pickInstrument(e.target.value); update(false); document.getElementById('signal-instrument')?.focus(); },
        }),
        inst && inst.validated === false ? notice('info', t('signal.not_validated')) : null,
        field({
          id: 'signal-lang', label: t('signal.language'), hint: t('signal.language_hint'), error: err('lang'),
          control: select({
            name: 'lang', value: s.choice.lang, onchange: (e) => { s.choice.lang = e.target.value; },
            options: langs.map(([code, meta]) => ({
              value: code,
              label: [`${label('languages', code)}${LANG_NAMES[code] && label('languages', code) !== LANG_NAMES[code] ? ` (${LANG_NAMES[code]})` : ''}`,
                meta?.review_status === 'draft' ? t('signal.draft') : null,
                meta?.voice ? t('signal.voice') : null].filter(Boolean).join(' · '),
            })),
          }),
        }),
        choiceGroup({
          id: 'signal-mode', legend: t('signal.mode'), error: err('mode'), type: 'radio', name: 'mode',
          options: ['client', 'interviewer'].map((m) => ({ value: m, label: t(`signal.modes.${m}`), description: t(`signal.modes_desc.${m}`) })),
          checked: s.choice.mode, onchange: (e) => { s.choice.mode = e.target.value; },
        }),
        h('div', { class: 'form__actions' },
          h('button', { type: 'submit', class: 'button', id: 'signal-begin', disabled: s.starting },
            s.starting ? t('signal.starting') : t('signal.begin_setup')))),
    ];
  }

  function introStep() {
    const ct = ui();
    const audio = textAudio('intro');
    return [
      h('div', { class: 'convo__head' },
        both(s.def.title, 'page-title convo__title', 'h1', { tabindex: '-1', id: 'signal-heading' })),
      h('div', { class: 'convo__text-row' },
        both(s.def.intro, 'convo__intro'),
        readAloud(audio, ct('signal.read_aloud_text'), { big: true, id: 'read-intro' })),
      s.def.review_status === 'draft' && s.mode === 'interviewer'
        ? vblock('p', { class: 'muted' }, s.vt('signal.draft_note')) : null,
      h('div', { class: 'convo__actions' },
        h('button', { type: 'button', class: 'button button--big', id: 'signal-start', onclick: start }, ct('signal.begin'))),
    ];
  }

  function answerButton(item, opt) {
    const chosen = s.answers[item.id] === opt.value;
    const name = opt.icon && hasIcon(opt.icon) ? opt.icon : null;
    const content = s.mode === 'interviewer' && s.lang !== 'nl' && txt(opt.label, s.lang) !== dutch(opt.label)
      ? [h('span', { class: 'answer__label' },
        h('span', { class: 'bilingual__nl', lang: 'nl', dir: 'ltr' }, dutch(opt.label)),
        h('span', { class: 'bilingual__own', lang: s.lang, dir: dirOf(s.lang) }, txt(opt.label, s.lang)))]
      : [h('span', { class: 'answer__label' }, txt(opt.label, s.lang))];
    return h('button', {
      type: 'button', class: ['answer', name && `answer--${name}`, chosen && 'answer--chosen'],
      'aria-pressed': chosen ? 'true' : 'false', 'data-value': String(opt.value),
      onclick: () => answer(item, opt.value),
    }, name ? h('span', { class: 'answer__icon' }, icon(name)) : h('span', { class: 'answer__icon answer__icon--value' }, String(opt.value)), content);
  }

  function questionStep() {
    const ct = ui();
    const item = items().find((it) => it.id === s.current);
    if (!item) return [notice('error', t('errors.generic'))];
    const section = (s.def.sections || []).find((x) => x.id === item.section);
    const audio = item.audio || null;
    const opts = options(item);
    return [
      section ? both(section.title, 'convo__section') : null,
      h('div', { class: 'question__head' },
        both(item.text, 'question__text', 'h1', { tabindex: '-1', id: 'signal-heading' }),
        readAloud(audio?.text, ct('signal.read_aloud_question'), { big: true, id: 'read-question' })),
      item.help
        ? h('div', { class: 'question__help-row' },
          both(item.help, 'question__help', 'p', { id: 'signal-help' }),
          readAloud(helpAudio(item), ct('signal.read_aloud_help'), { id: 'read-help' }))
        : null,
      h('ul', { class: 'answers', 'aria-labelledby': 'signal-heading', 'aria-describedby': item.help ? 'signal-help' : null },
        opts.map((opt) => h('li', { class: 'answers__row' },
          answerButton(item, opt),
          readAloud(audio?.options?.[String(opt.value)], ct('signal.read_aloud_option', { label: txt(opt.label, s.lang) }))))),
      h('div', { class: 'convo__nav' },
        h('button', { type: 'button', class: 'button button--secondary convo__back', id: 'signal-back', onclick: back },
          icon('back'), ct('signal.back'))),
    ];
  }

  function outroStep() {
    const ct = ui();
    const vt = s.vt;
    const audio = textAudio('outro');
    const sid = s.screening?.id;
    const status = s.saving || (!sid && !s.saveError)
      ? h('p', { class: 'convo__saving', role: 'status' }, vt('signal.saving'))
      : s.saveError
        ? h('div', { id: 'signal-save-error', tabindex: '-1' },
          notice('error', vt('signal.save_failed'), ' ', errorText(s.saveError),
            s.saveError.fieldErrors.length
              ? h('ul', null, s.saveError.fieldErrors.map((fe) => h('li', null, problemText(fe)))) : null),
          h('button', { type: 'button', class: 'button', id: 'signal-retry', onclick: () => { submit(); fillStage(false); } }, vt('signal.retry')))
        : h('p', { class: 'notice notice--success', role: 'status' }, vt('signal.saved'));
    return [
      h('div', { class: 'convo__head' }, h('h1', { class: 'page-title convo__title', tabindex: '-1', id: 'signal-heading', lang: ct.lang, dir: ct.dir }, ct('signal.done_title'))),
      s.def.outro
        ? h('div', { class: 'convo__text-row' },
          both(s.def.outro, 'convo__outro'),
          readAloud(audio, ct('signal.read_aloud_text'), { big: true, id: 'read-outro' }))
        : null,
      s.mode === 'client' ? h('p', { class: 'convo__give-back', lang: s.lang, dir: dirOf(s.lang) }, ct('signal.give_back')) : null,
      vblock('section', { class: 'card convo__volunteer', 'aria-labelledby': 'signal-for-volunteer' },
        h('h2', { class: 'card__title', id: 'signal-for-volunteer' }, vt('signal.for_volunteer')),
        status,
        h('button', { type: 'button', class: 'button', id: 'signal-view-result', disabled: !sid, onclick: viewResult }, vt('signal.view_result'))),
    ];
  }

  function problemText(fe) {
    const id = typeof fe.pointer === 'string' && fe.pointer.startsWith('/answers/') ? fe.pointer.slice(9) : null;
    const item = id ? items().find((it) => it.id === id) : null;
    return item ? s.vt('signal.answer_problem', { question: dutch(item.text) }) : (fe.detail || fe.pointer || '');
  }

  function flaggedStep() {
    const vt = s.vt;
    const r = s.lastFlag;
    const acts = (r?.actions || []).map((a) => vt(`flag_actions.${a}`));
    return [vblock('div', { class: 'stack convo__flagged' },
      h('h1', { class: 'page-title', tabindex: '-1', id: 'signal-heading' }, vt('signal.flagged_title')),
      acts.length ? h('p', null, vt('signal.flagged_body', { actions: formatList(acts) })) : null,
      h('p', null, vt('signal.flagged_open')),
      h('p', { class: 'lead' }, vt('signal.flagged_continue_q')),
      h('div', { class: 'form__actions' },
        h('button', {
          type: 'button', class: 'button', id: 'signal-continue',
          onclick: () => { const n = s.resume || { step: 'intro' }; s.resume = null; goTo(n.step, n.current); },
        }, vt('signal.continue')),
        h('button', { type: 'button', class: 'button button--secondary', id: 'signal-stop-after', onclick: stopNow }, vt('signal.stop'))))];
  }

  function stoppedStep() {
    return [h('div', { class: 'stack' },
      pageTitle(t('signal.stopped_title')),
      h('p', null, t('signal.stopped_body')),
      s.flags.length ? notice('info', t('signal.stopped_flags')) : null,
      h('p', null, h('button', { type: 'button', class: 'button', id: 'signal-to-client', onclick: toClientPage }, t('signal.to_client'))))];
  }

  function fillToolbar() {
    if (!s.toolbarEl) return;
    const parts = toolbar();
    s.toolbarEl.hidden = !parts.length;
    s.toolbarEl.replaceChildren(...parts);
  }

  function fillProgress() {
    if (!s.progressEl) return;
    const list = visible();
    const i = list.findIndex((it) => it.id === s.current);
    const on = s.step === 'question' && i >= 0;
    s.progressEl.hidden = !on;
    if (!on) {
      s.liveEl.replaceChildren();
      return;
    }
    const ct = ui();
    const vars = { n: i + 1, total: list.length };
    s.liveEl.setAttribute('lang', s.mode === 'client' ? s.lang : (s.vt.lang || getLang()));
    const tr = s.mode === 'client' ? ct : s.vt;
    s.liveEl.replaceChildren(
      h('span', { 'aria-hidden': 'true', class: 'convo__count-short' }, tr('signal.progress', vars)),
      h('span', { class: 'visually-hidden' }, tr('signal.progress_label', vars)));
    s.barEl.max = list.length;
    s.barEl.value = i + 1;
  }

  function fillStage(focus = true) {
    if (!s.stageEl) return;
    const parts = s.step === 'setup' ? setupStep()
      : s.step === 'intro' ? introStep()
        : s.step === 'question' ? questionStep()
          : s.step === 'outro' ? outroStep()
            : s.step === 'flagged' ? flaggedStep()
              : stoppedStep();
    s.stageEl.replaceChildren(...parts.flat().filter(Boolean));
    s.root.className = ['convo', 'stack', s.step !== 'setup' && `convo--${s.mode}`, `convo--${s.step}`].filter(Boolean).join(' ');
    if (focus) {
      const target = s.stageEl.querySelector('h1');
      if (target) target.focus();
    } else if (s.step === 'outro' && s.saveError) {
      document.getElementById('signal-save-error')?.focus();
    }
  }

  /** Re-draw the current step in place (the live region for the progress stays put). */
  function update(focus = true) {
    if (!ctx.isCurrent() || !s.root) return;
    fillToolbar();
    fillProgress();
    fillStage(focus);
    if (focus) window.scrollTo(0, 0);
  }

  function render() {
    if (s.mode === 'client' && s.step !== 'setup' && s.step !== 'stopped' && s.prevLang && getLang() !== s.lang) {
      followLanguage(getLang());
    }
    s.audioEl = h('audio', { id: 'read-aloud-audio', class: 'read-aloud__player', preload: 'none' });
    s.audioEl.addEventListener('ended', () => stopAudio());
    s.toolbarEl = h('div', { class: 'convo__toolbar', role: 'group', 'aria-label': (s.vt || t)('signal.toolbar') });
    s.liveEl = h('p', { class: 'convo__count', 'aria-live': 'polite', 'aria-atomic': 'true' });
    s.barEl = h('progress', { class: 'convo__bar', max: '1', value: '0', 'aria-hidden': 'true' });
    s.progressEl = h('div', { class: 'convo__progress' }, s.liveEl, s.barEl);
    s.stageEl = h('div', { class: 'convo__stage' });
    s.root = h('div', { class: 'convo stack' }, s.toolbarEl, s.progressEl, s.stageEl, s.audioEl);
    fillToolbar();
    fillProgress();
    fillStage(false);
    return s.root;
  }

  function title() {
    if (s.step === 'setup' || !s.def) return t('signal.setup_title');
    return t('signal.title');
  }

  return { title, load, render, leave };
}

