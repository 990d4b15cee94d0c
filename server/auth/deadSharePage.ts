/** The page a share link that no longer works leads to: no script, the player's CSP allows none inline. */

/** Says the link expired, was revoked or never existed, without telling which. */
export function deadSharePage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Link not valid · Session replay</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; margin: 0; display: grid; place-items: center; min-height: 100vh; background: #f6f7fb; color: #1f2430; }
main { background: #fff; padding: 24px 28px; border-radius: 8px; box-shadow: 0 1px 3px #0002; width: min(420px, 90vw); }
</style>
</head>
<body>
<main data-testid="dead-share">
<h1>This link does not work</h1>
<p>It has expired or been revoked. Ask whoever shared this replay for a new link.</p>
</main>
</body>
</html>
`;
}
