import { describe, expect, it } from 'vitest';
import { buildModel } from './testing.ts';
import { pipelineSteps } from './fixtures/pipeline-steps.ts';
import { overlappingStreams } from './fixtures/overlapping-streams.ts';
import { isReceiveCollective, stepTraceTime } from './step-trace.ts';
import { analysisReport } from './report.ts';

const columns = (r: ReturnType<typeof stepTraceTime>[number]) => [
  r.computingNs,
  r.communicationNotOverlappedNs,
  r.overlappedNs,
  r.communicationNs,
  r.freeNs,
  r.stageNs,
  r.bubbleNs,
  r.communicationNotOverlappedExcludeReceiveNs,
  r.preparingNs,
];

describe('stepTraceTime on handmade models (answers derived in the fixture comments)', () => {
  it('pipeline-steps: device step ranges from the launched tasks, Bubble from the receive, Stage without it', () => {
    const rows = stepTraceTime(buildModel(pipelineSteps));
    expect(rows.map((r) => [r.deviceKey, r.step, r.startNs, r.endNs])).toEqual([
      ['npu:0', '1', 30, 100],
      ['npu:0', '2', 130, 230],
    ]);
    expect(columns(rows[0])).toEqual([30, 20, 10, 30, 0, 50, 0, 20, 30]);
    expect(columns(rows[1])).toEqual([50, 40, 0, 40, 10, 60, 40, 0, 30]);
  });

  it('a trace without steps is one row (step null) from its first to its last task; GPU terms apply', () => {
    const rows = stepTraceTime(buildModel(overlappingStreams));
    expect(rows.map((r) => [r.deviceKey, r.step])).toEqual([['gpu:0', null]]);
    // the overlapping-streams comment: computing 30, comm 20, not overlapped 10, free [30,50) = 20, span 60; no host → Preparing from 0
    expect(columns(rows[0])).toEqual([30, 10, 10, 20, 20, 60, 0, 10, 0]);
  });

  it('receive collectives: HCCL hcom_receive and NCCL recv kernels, not send or all-reduce', () => {
    expect(['hcom_receive_1_2', 'ncclDevKernel_Recv(ncclDevKernelArgs)', 'ncclKernel_Recv_x'].map(isReceiveCollective)).toEqual([true, true, true]);
    expect(['hcom_send_1', 'hcom_allReduce_3', 'ncclDevKernel_SendRecv'].map(isReceiveCollective)).toEqual([false, false, false]);
  });

  it('analysisReport puts the columns in steps[].devices[].step_trace (µs), beside the host-range overlap', () => {
    const r = analysisReport(buildModel(pipelineSteps));
    expect(r.steps.map((s) => s.name)).toEqual(['ProfilerStep#1', 'ProfilerStep#2']);
    const t = r.steps[1].devices[0].step_trace!;
    expect([t.device_start_us, t.device_end_us, t.computing_us, t.bubble_us, t.stage_us, t.preparing_us]).toEqual([0.13, 0.23, 0.05, 0.04, 0.06, 0.03]);
    expect(r.steps[1].devices[0].computing_us).toBe(0.02); // host range [100,200) clips kernel b to [180,200)
  });
});
