import { expiresAtMs, Metric, seriesKey } from '../metrics/metric';
import { Breach, PolicyState, PolicyType } from './policy-type';

export const HOST_FAILURE = 'cloudify.policies.types.host_failure';

interface Series {
  last: Metric;
  deadlineMs: number;
  expired: boolean;
}

/**
 * Fires once per series (instance × service) whose value is not renewed within its ttl, with the
 * last value as the event; a new value revives the series. After a rebuild, a series that was
 * already silent before the previous engine stopped counts as handled, and a live one gets one
 * fresh ttl from the restart so the queue's backlog can catch up.
 */
class HostFailureState implements PolicyState {
  private readonly series = new Map<string, Series>();

  observe(metric: Metric): Breach | undefined {
    const key = seriesKey(metric);
    const current = this.series.get(key);
    // A live series keeps a later deadline it was given (the restart grace), so a backlog of
    // values queued during the restart does not expire it on arrival.
    const kept = current && !current.expired ? current.deadlineMs : 0;
    this.series.set(key, {
      last: metric,
      deadlineMs: Math.max(kept, expiresAtMs(metric)),
      expired: false,
    });
    return undefined;
  }

  expire(nowMs: number): Breach[] {
    const breaches: Breach[] = [];
    for (const series of this.series.values()) {
      if (series.expired || series.deadlineMs > nowMs) continue;
      series.expired = true;
      breaches.push({ diagnose: 'heart-beat-failure', metric: series.last });
    }
    return breaches;
  }

  resume(newestMs: number, startMs: number): void {
    for (const series of this.series.values()) {
      if (series.deadlineMs < newestMs) series.expired = true;
      else series.deadlineMs = Math.max(series.deadlineMs, startMs + series.last.ttl * 1000);
    }
  }
}

/** `cloudify.policies.types.host_failure`: a watched metric expired (`diagnose: heart-beat-failure`). */
export const hostFailureType: PolicyType = {
  name: HOST_FAILURE,
  createStateFactory: () => () => new HostFailureState(),
};
