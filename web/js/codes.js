// SPDX-License-Identifier: EUPL-1.2
// The code lists the UI offers, mirroring docs/API.md. Only codes live here; their names come from
// the locale files (countries.*, languages.*, ...), so each list is shown in the reader's language.

import { t, collator } from './i18n.js';

export const GENDERS = ['female', 'male', 'other', 'unknown'];

/** Countries of origin most common among asylum seekers and status holders in the Netherlands. */
export const COUNTRIES = [
  'SY', 'ER', 'AF', 'TR', 'IQ', 'IR', 'SO', 'YE', 'UA', 'SD', 'SS', 'ET', 'NG', 'MA', 'DZ', 'TN',
  'EG', 'LB', 'PS', 'LY', 'GE', 'AM', 'AZ', 'RU', 'BY', 'CO', 'VE', 'CN', 'PK', 'BD', 'LK', 'GN',
  'CD', 'CM', 'UG',
];

/** BCP 47 tags for the client's own language (the language of the conversation). */
export const LANGUAGES = [
  'ar', 'fa', 'prs', 'ps', 'ti', 'am', 'so', 'tr', 'kmr', 'ckb', 'uk', 'ru', 'ur', 'bn', 'ka',
  'hy', 'fr', 'en', 'es', 'zh', 'nl',
];

export const PHASES = ['coa', 'municipality'];

export const RISK_FLAGS = ['ex_amv', 'single_parent', 'family_reunification', 'violence_survivor', 'low_literacy'];

export const SCOPES = ['signal', 'referral', 'clinical', 'network', 'plan', 'contact'];

export const ROLES = [
  'client', 'volunteer', 'keyperson', 'coa_staff', 'health_staff', 'gp', 'poh_ggz', 'ggz',
  'klantmanager', 'wijkteam', 'coordinator', 'analyst', 'admin',
];

/** Roles that work with client records and may register clients (a non-empty ceiling). */
export function canRegister(role) {
  return !['analyst', 'admin', 'client'].includes(role);
}

/** A localized label for `code` under `group`, falling back to the code itself. */
export function label(group, code) {
  const key = `${group}.${code}`;
  const s = t(key);
  return s === key ? String(code) : s;
}

/** [{value, label}] for a select, sorted by label in the current language. */
export function sortedOptions(group, codes) {
  const c = collator();
  return codes.map((code) => ({ value: code, label: label(group, code) }))
    .sort((a, b) => c.compare(a.label, b.label));
}

/** Roles that may close a red flag (with a reason) and that see the worklist of open flags. */
export const PROFESSIONAL_ROLES = ['health_staff', 'gp', 'poh_ggz', 'ggz'];

export function isProfessional(role) {
  return PROFESSIONAL_ROLES.includes(role);
}

/** The worklist (GET /api/v1/worklist): open red flags for the coordinator and the professionals,
 * overdue referrals for every role that refers (everyone with a caseload). */
export function canWorklist(role) {
  return role === 'coordinator' || isProfessional(role) || canRegister(role);
}

/** Red-flag actions a volunteer can record (POST /api/v1/red-flags/{fid}/actions). */
export const FLAG_ACTIONS = [
  'stayed_with_person', 'called_112', 'gp_same_day', 'gp_out_of_hours', 'reception_health_post',
  'called_113', 'other',
];

/** Care levels of the route map (docs: domain §4). */
export const LEVELS = ['L0', 'L1', 'L2', 'L3', 'crisis'];

/** The languages the signalling conversation is offered in (each has a UI locale too). */
export const CONVERSATION_LANGS = ['nl', 'en', 'ar', 'fa', 'ti', 'so', 'tr', 'uk'];
