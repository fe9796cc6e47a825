import { escapeHtml, html, raw } from '../../../src/web/html';

describe('escapeHtml', () => {
  it('escapes the five characters that matter in text and quoted attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
  it('renders null and undefined as nothing, numbers, dates and objects as text', () => {
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(undefined)).toBe('');
    expect(escapeHtml(42)).toBe('42');
    expect(escapeHtml(new Date('2026-11-01T00:00:00Z'))).toBe('2026-11-01T00:00:00.000Z');
    expect(escapeHtml({ a: '<b>' })).toBe('{&quot;a&quot;:&quot;&lt;b&gt;&quot;}');
  });
});

describe('html', () => {
  it('escapes interpolations, keeps nested fragments and raw() as HTML, joins arrays', () => {
    const name = '<script>alert(1)</script>';
    const out = html`<ul>
        ${['a<', 'b'].map((x) => html`<li>${x}</li>`)}
      </ul>
      <p title="${name}">${name}</p>
      ${raw('<hr>')}`;
    expect(String(out).replace(/>\s+</g, '><').trim()).toBe(
      '<ul><li>a&lt;</li><li>b</li></ul><p title="&lt;script&gt;alert(1)&lt;/script&gt;">&lt;script&gt;alert(1)&lt;/script&gt;</p><hr>',
    );
  });
  it('renders false, null and undefined as nothing (conditionals), but 0 as 0', () => {
    expect(String(html`${false}${null}${undefined}${0}`)).toBe('0');
  });
  it('escapes a fragment passed to escapeHtml (it is text there)', () => {
    expect(escapeHtml(html`<b>x</b>`)).toBe('&lt;b&gt;x&lt;/b&gt;');
  });
});
