// SPDX-License-Identifier: EUPL-1.2
// The UI's icon set as inline SVG, built in script: no icon font, no emoji font, no extra request,
// and the shapes take the text colour (currentColor) so contrast follows the button they sit in.
// Names match docs/instruments.md (`options[].icon`): yes, no, sometimes, never, often, always,
// face-0 … face-4; plus the UI's own: speaker, back, alert, phone.

const NS = 'http://www.w3.org/2000/svg';

/** [tag, attributes] lists on a 24×24 grid, stroked unless they say fill. */
const SHAPES = {
  yes: [['path', { d: 'M4.5 12.5l5 5L19.5 7' }]],
  no: [['path', { d: 'M6 6l12 12M18 6L6 18' }]],
  never: [['circle', { cx: 12, cy: 12, r: 8 }], ['path', { d: 'M6.5 17.5l11-11' }]],
  sometimes: [['circle', { cx: 12, cy: 12, r: 8 }], ['path', { d: 'M12 4a8 8 0 0 1 0 16z', fill: 'currentColor' }]],
  often: [['circle', { cx: 12, cy: 12, r: 8 }], ['path', { d: 'M12 4a8 8 0 1 1-8 8h8z', fill: 'currentColor' }]],
  always: [['circle', { cx: 12, cy: 12, r: 8, fill: 'currentColor' }]],
  speaker: [
    ['path', { d: 'M4 9.5h3.5L12 5.5v13l-4.5-4H4z', fill: 'currentColor' }],
    ['path', { d: 'M15.5 9a4 4 0 0 1 0 6M18 6.5a7.5 7.5 0 0 1 0 11' }],
  ],
  back: [['path', { d: 'M15 5l-7 7 7 7' }]],
  alert: [
    ['path', { d: 'M12 3.5L2.5 20h19z' }],
    ['path', { d: 'M12 10v4.5' }],
    ['circle', { cx: 12, cy: 17.3, r: 0.6, fill: 'currentColor' }],
  ],
  phone: [['path', { d: 'M6.5 3.5l3 .5 1.5 4-2 1.5a11 11 0 0 0 5.5 5.5l1.5-2 4 1.5.5 3c-.5 1.5-2 2.5-3.5 2.5A15.5 15.5 0 0 1 4 7c0-1.5 1-3 2.5-3.5z' }]],
};

function face(mouth) {
  return [
    ['circle', { cx: 12, cy: 12, r: 8.5 }],
    ['circle', { cx: 9, cy: 10, r: 0.9, fill: 'currentColor' }],
    ['circle', { cx: 15, cy: 10, r: 0.9, fill: 'currentColor' }],
    ['path', { d: mouth }],
  ];
}
SHAPES['face-0'] = face('M8 16.5q4-3.5 8 0');
SHAPES['face-1'] = face('M8.5 16q3.5-2 7 0');
SHAPES['face-2'] = face('M8.5 15h7');
SHAPES['face-3'] = face('M8.5 14.5q3.5 2 7 0');
SHAPES['face-4'] = face('M8 14q4 3.5 8 0');

export function hasIcon(name) {
  return Object.prototype.hasOwnProperty.call(SHAPES, name);
}

/**
 * An <svg> for `name` (decorative: aria-hidden), or null for an unknown name. `cls` is added to
 * the class list; the size comes from CSS (.icon).
 */
export function icon(name, cls = '') {
  const shapes = SHAPES[name];
  if (!shapes) return null;
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', `icon icon--${name} ${cls}`.trim());
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('fill', 'none');
  svg.setAttribute('stroke', 'currentColor');
  svg.setAttribute('stroke-width', '2.25');
  svg.setAttribute('stroke-linecap', 'round');
  svg.setAttribute('stroke-linejoin', 'round');
  for (const [tag, attrs] of shapes) {
    const el = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    if (attrs.fill === 'currentColor' && tag === 'circle') el.setAttribute('stroke', 'none');
    svg.append(el);
  }
  return svg;
}
