/** Sign in: the form (GET /login); src/web/auth/login.ts checks it. */
import { html } from '../html';

export function loginBody(o: { csrfToken: string; next: string; error?: string; user?: string }): string {
  return html`<div class="login card">
    ${o.error ? html`<p class="flash error" role="alert">${o.error}</p>` : ''}
    <form method="post" action="/login">
      <input type="hidden" name="csrf" value="${o.csrfToken}" />
      <input type="hidden" name="next" value="${o.next}" />
      <div>
        <label for="user">Name</label>
        <input id="user" name="user" type="text" autocomplete="username" required value="${o.user ?? ''}" />
      </div>
      <div>
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
      </div>
      <div><button class="primary" type="submit">Sign in</button></div>
    </form>
  </div>`.toString();
}
