import { describe, expect, it } from 'vitest';
import { buildModel } from './testing.ts';
import { nestedScopes } from './fixtures/nested-scopes.ts';
import { overlappingStreams } from './fixtures/overlapping-streams.ts';
import { analysisReport, formatReport } from './report.ts';
import { DETECTOR_NAMES } from './detectors/index.ts';

describe('analysisReport', () => {
  it('overlapping-streams: device overlap in µs as derived in the fixture', () => {
    const r = analysisReport(buildModel(overlappingStreams));
    expect(r.devices).toHaveLength(1);
    expect(r.devices[0]).toMatchObject({
      id: 'gpu:0',
      label: 'GPU 0',
      kind: 'gpu',
      overlap: { computing_us: 0.03, communication_us: 0.02, communication_not_overlapped_us: 0.01, free_us: 0.02, span_us: 0.06, overlap_ratio: 0.5 },
    });
    expect(Object.keys(r.findings)).toEqual([...DETECTOR_NAMES]);
    expect(r.findings.all_reduce).toMatchObject({ count: 1, total_us: 0.02 });
    expect(r.findings.matmul).toMatchObject({ count: 2, total_us: 0.02 });
  });

  it('nested-scopes: steps, layers and per-step device overlap', () => {
    const r = analysisReport(buildModel(nestedScopes(3)));
    expect(r.steps.map((s) => [s.name, s.number, s.start_us, s.dur_us])).toEqual([['ProfilerStep#1', 1, 0, 3.51]]);
    expect(r.steps[0].devices.map((d) => d.id)).toEqual(['gpu:0']);
    expect(r.layers).toMatchObject({ source: 'scopes', count: 3, passes: 1, device: 'gpu:0', median_host_us: 0.9 });
    expect(r.layers.per_layer.map((l) => l.device_start_us)).toEqual([0.32, 1.32, 2.32]);
    expect(r.findings.launch_latency).toMatchObject({ count: 37, p50_us: 0.3, max_us: 0.3, outliers: 0 });
    const text = formatReport(r);
    expect(text).toContain('GPU 0 (gpu:0)');
    expect(text).toContain('Layers (scopes): 3 per pass × 1 pass(es)');
  });
});
