/** The login page: one form, no script (the player's CSP allows none inline), served by /login. */
import { escapeHtml } from '../escapeHtml';

/** The page asking for the admin token; `next` is where a correct token leads. */
export function loginPage({ next, error }: { next: string; error?: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Log in · Session replay</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; margin: 0; display: grid; place-items: center; min-height: 100vh; background: #f6f7fb; color: #1f2430; }
form { background: #fff; padding: 24px 28px; border-radius: 8px; box-shadow: 0 1px 3px #0002; width: min(420px, 90vw); }
input, button { font: inherit; padding: 6px 8px; }
input { width: 100%; box-sizing: border-box; margin: 8px 0 12px; }
.error { color: #b3261e; }
</style>
</head>
<body>
<form method="post" action="/login">
<h1>Session replay</h1>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<label for="token">Admin token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<input type="hidden" name="next" value="${escapeHtml(next)}">
<button type="submit">Log in</button>
<p><small>The server prints a login link when it starts; the token is in REPLAY_ADMIN_TOKEN or DATA_DIR/admin-token.</small></p>
</form>
</body>
</html>
`;
}
