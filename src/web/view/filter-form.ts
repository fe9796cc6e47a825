/**
 * The filter form of /trips and /legs: a plain GET form, so it works without JavaScript and every filtered list
 * is a link someone can send. Values shown are the ones given (valid or not), problems listed above it.
 */
import { LEG_CATEGORIES, LEG_CONFIDENCES } from '../../domain/leg-classification';
import { REVIEW_STATES } from '../../archive/record-schema';
import { html, type SafeHtml } from '../html';

export interface FilterFormOptions {
  action: string;
  given: Record<string, string>;
  errors: string[];
  /** Operators in the archive, for the select (the aircraft table: small). */
  operators: string[];
  /** /legs also filters by arrival airport and report period. */
  legFields?: boolean;
}

const select = (name: string, label: string, values: readonly string[], current: string | undefined): SafeHtml =>
  html` <label
    >${label}
    <select name="${name}">
      <option value="">any</option>
      ${values.map((v) => html`<option value="${v}" ${v === current ? html` selected` : ''}>${v}</option>`)}
    </select>
  </label>`;

const input = (name: string, label: string, given: Record<string, string>, attrs: SafeHtml = html``): SafeHtml =>
  html`<label>${label} <input name="${name}" value="${given[name] ?? ''}" ${attrs} /></label>`;

export function filterForm(o: FilterFormOptions): SafeHtml {
  const g = o.given;
  return html` <form method="get" action="${o.action}" class="filters" role="search" aria-label="Filter">
    ${
      o.errors.length > 0 &&
      html`<ul class="errors" role="alert">
        ${o.errors.map((e) => html`<li>${e}</li>`)}
      </ul>`
    }
    ${input('from', 'From', g, html`type="date"`)} ${input('to', 'To', g, html`type="date"`)}
    ${o.legFields && input('period', 'Period', g, html`placeholder="2026-11 or 2026-W48" size="10"`)}
    ${input('country', 'Destination country', g, html`placeholder="GT" size="3" maxlength="2"`)}
    ${select('operator', 'Operator', o.operators, g.operator)}
    ${input('aircraft', 'Airframe (hex)', g, html`placeholder="a1b2c3" size="8"`)}
    ${o.legFields && input('airport', 'Arrival airport', g, html`placeholder="MGGT" size="5"`)}
    ${select('category', 'Category', LEG_CATEGORIES, g.category)}
    ${select('confidence', 'Confidence', LEG_CONFIDENCES, g.confidence)}
    ${select('review', 'Review', REVIEW_STATES, g.review)}
    <button type="submit">Filter</button> <a href="${o.action}">Clear</a>
  </form>`;
}
