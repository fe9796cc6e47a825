/** Alerts carry the evidence id: the webhook body's `evidenceId` and a row of the e-mail. */
import { webhookBody, webhookBodySchema } from '../../../../src/alerting/payload';
import { alertView } from '../../../../src/alerting/channels/render/view';
import { renderText } from '../../../../src/alerting/channels/render/text';
import { channelDisabledAlert, landingAlert } from '../../alerting/channels/fixture';

describe('evidence id on alerts', () => {
  it('a flight alert carries the event id as evidenceId, valid against the webhook schema', () => {
    const alert = landingAlert();
    const body = webhookBody(alert);
    expect(body.evidenceId).toBe(alert.event.id);
    expect(webhookBodySchema.safeParse(body).success).toBe(true);
  });

  it('an operational alert has none', () => {
    expect(webhookBody(channelDisabledAlert())).not.toHaveProperty('evidenceId');
  });

  it('the e-mail shows it as a row', () => {
    const alert = landingAlert();
    expect(renderText(alertView(alert), { map: false })).toMatch(new RegExp(`^Evidence id: +${alert.event.id}$`, 'm'));
  });
});
