/** Cookie header parsing and Set-Cookie lines with the flags every console cookie carries. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const piece of (header ?? '').split(';')) {
    const part = piece.trim();
    const eq = part.indexOf('=');
    if (eq < 1) continue;
    const name = part.slice(0, eq).trim();
    if (out.has(name)) continue; // first wins, as browsers send the most specific first
    try {
      out.set(name, decodeURIComponent(part.slice(eq + 1).trim()));
    } catch {
      // a malformed value is as good as none
    }
  }
  return out;
}

/** HttpOnly and SameSite=Strict always; Secure when the request came over https. */
export function setCookie(name: string, value: string, o: { secure: boolean; maxAgeS?: number }): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'HttpOnly', 'SameSite=Strict'];
  if (o.secure) parts.push('Secure');
  if (o.maxAgeS !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(o.maxAgeS))}`);
  return parts.join('; ');
}
