/**
 * A group's own receiver: one GET of a readsb / tar1090 / dump1090-fa aircraft.json per cycle. It returns
 * everything the receiver hears, so every watch key is matched locally; plain receivers have no
 * registration/type, which the enrich step fills from the aircraft database.
 */
import type { ReceiverSourceConfig } from '../../config/schema';
import type { FetchResult, PlannedRequest, WatchPlan } from '../source';
import { HttpSource } from '../http/http-source';
import { parseReadsbText, type ParseContext } from '../readsb/parse';

export class ReceiverSource extends HttpSource<ReceiverSourceConfig> {
  requestsFor(_plan: WatchPlan): PlannedRequest[] {
    return [{ query: { kind: 'all' }, path: this.config.url, cost: 1 }];
  }

  protected urlFor(_req: PlannedRequest): string {
    return this.config.url;
  }

  protected parse(text: string, ctx: ParseContext): FetchResult {
    return parseReadsbText(text, ctx);
  }
}
