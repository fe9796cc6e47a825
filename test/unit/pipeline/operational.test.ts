import { asOperationalEvent, operationalEvent } from '../../../src/pipeline/operational';
import { eventSchema } from '../../../src/alerting/payload';

describe('operational events', () => {
  it('are built with kind, summary and facts, and a deterministic id per incident', () => {
    const input = {
      kind: 'recovered' as const,
      summary: 'Data flows again.',
      details: { since: '2026-11-27T18:00:00.000Z', blindForMinutes: 20 },
      subject: 'watcher',
      at: '2026-11-27T18:00:00.000Z',
      time: '2026-11-27T18:20:00.000Z',
    };
    const e = operationalEvent(input);
    expect(e).toEqual({
      schema: 'flightwatch.event/v1',
      id: expect.stringMatching(/^op_[0-9a-f]{32}$/),
      type: 'operational',
      time: '2026-11-27T18:20:00.000Z',
      source: 'flightwatch',
      details: {
        operational: {
          kind: 'recovered',
          summary: 'Data flows again.',
          since: '2026-11-27T18:00:00.000Z',
          blindForMinutes: 20,
        },
      },
    });
    expect(eventSchema.safeParse(e).success).toBe(true);
    expect(operationalEvent({ ...input, time: '2026-11-27T18:21:00.000Z' }).id).toBe(e.id);
    expect(operationalEvent({ ...input, kind: 'blind' }).id).not.toBe(e.id);
    expect(operationalEvent({ ...input, at: '2026-11-27T19:00:00.000Z' }).id).not.toBe(e.id);
    // details cannot overwrite kind or summary (the types forbid it; an untyped caller must not manage either)
    const untyped: Record<string, unknown> = { kind: 'x', summary: 'y' };
    expect(operationalEvent({ ...input, details: untyped }).details.operational).toMatchObject({
      kind: 'recovered',
      summary: 'Data flows again.',
    });
  });

  it('reads a job queued by an older version (placeholder flight event) as the new shape', () => {
    const legacy = {
      schema: 'flightwatch.event/v1',
      id: 'watcher-blind-1764266400000',
      type: 'seen',
      time: '2026-11-27T18:15:00.000Z',
      aircraft: { hex: '000000', registration: 'BLIND', operator: 'flightwatch watcher' },
      watch: { ids: [], tags: [] },
      source: 'flightwatch',
      evidence: [],
      details: {
        note: 'No ADS-B source has returned data since …',
        operational: { kind: 'watcher-blind', since: '2026-11-27T18:00:00.000Z', blindAfterMinutes: 15 },
        sources: 'rx: HTTP 503',
      },
    };
    const e = asOperationalEvent(legacy);
    expect(e).toEqual({
      schema: 'flightwatch.event/v1',
      id: 'watcher-blind-1764266400000',
      type: 'operational',
      time: '2026-11-27T18:15:00.000Z',
      source: 'flightwatch',
      details: {
        operational: {
          kind: 'blind',
          summary: 'No ADS-B source has returned data since …',
          since: '2026-11-27T18:00:00.000Z',
          blindAfterMinutes: 15,
        },
      },
    });
    expect(eventSchema.safeParse(e).success).toBe(true);
    const current = operationalEvent({
      kind: 'blind',
      summary: 's',
      subject: 'watcher',
      at: '2026-11-27T18:00:00.000Z',
    });
    expect(asOperationalEvent(current)).toBe(current);
  });
});
