/**
 * Alert id → the identifiers receivers see. All are pure functions of the alert id, so every retry, every
 * replica and every outbox write of the same alert yields the same webhook-id, Message-ID and file name.
 * Ids made of [A-Za-z0-9_:-] (what the router produces) pass unchanged; anything else is =XX-encoded
 * rather than dropped, so two different alert ids never collide.
 */

const encodeOutside = (id: string, keep: RegExp): string =>
  Array.from(id)
    .map((ch) =>
      keep.test(ch)
        ? ch
        : Array.from(Buffer.from(ch, 'utf8'), (b) => `=${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
    )
    .join('');

/** Standard Webhooks: the id is signed as `${id}.${ts}.${body}`, so it must not contain "." (nor spaces/CR/LF). */
export function webhookId(alertId: string): string {
  return encodeOutside(alertId, /[A-Za-z0-9_:~+/-]/);
}

/** RFC 5322 msg-id `<id-left@flightwatch>`; id-left is a dot-atom, so ":" and friends are encoded. */
export function messageId(alertId: string): string {
  return `<${encodeOutside(alertId, /[A-Za-z0-9_~+/-]/)}@flightwatch>`;
}

/** A file name portable to every file system (no ":" for Windows shares, no "/"). */
export function fileStem(alertId: string): string {
  return encodeOutside(alertId, /[A-Za-z0-9_-]/);
}
