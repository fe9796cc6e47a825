/** Config, health endpoints and metrics of the real `flightwatch worker` process (spawned by helpers/worker-process). */
import { writeFileSync } from 'node:fs';

export interface TestConfig {
  receiverUrl: string;
  types: string[];
  dataDir: string;
  outboxDir: string;
  webhookUrl?: string;
  smtp?: boolean;
  /** Raw YAML appended to the watch list (to inject problems). */
  extraWatchYaml?: string;
}

export function writeConfig(file: string, c: TestConfig): void {
  const channels: string[] = [];
  if (c.webhookUrl)
    channels.push(`    - { id: hook, kind: webhook, url: "${c.webhookUrl}", secretEnv: HOOK_SECRET, timeoutMs: 2000 }`);
  if (c.smtp)
    channels.push('    - { id: mail, kind: email, to: [ops@example.org], from: "fw <fw@example.org>", map: false }');
  writeFileSync(
    file,
    [
      'sources:',
      `  - { id: rx, kind: receiver, url: "${c.receiverUrl}", timeoutMs: 3000 }`,
      'poll:',
      '  schedule: "* * * * * *"',
      'watch:',
      `  - id: jets`,
      `    match: { types: [${c.types.join(', ')}] }`,
      ...(c.extraWatchYaml ? [c.extraWatchYaml] : []),
      'alerts:',
      `  outboxDir: "${c.outboxDir}"`,
      '  retry: { backoffBase: 1s, backoffMax: 2s, horizon: 1h }',
      ...(channels.length ? ['  channels:', ...channels] : []),
      'operate:',
      '  blindAfter: 3s',
      '  readyMaxDataAge: 20s',
      '  reloadDebounce: 200ms',
      'data:',
      `  dir: "${c.dataDir}"`,
      '',
    ].join('\n'),
  );
}

export async function get(url: string): Promise<{ status: number; text: string }> {
  const r = await fetch(url);
  return { status: r.status, text: await r.text() };
}

/** Value of one Prometheus sample, e.g. metric(text, 'flightwatch_source_polls_total', { source: 'rx', outcome: 'ok' }). */
export function metric(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-z_:]+)(\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[3] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[4]);
  }
  return undefined;
}
