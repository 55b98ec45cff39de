/**
 * Lays out one HCCL collective as the sub-tasks msprof reports on the HCCL
 * `Plane N` threads (and mirrors on the hardware stream): per phase, a
 * Notify_Record to every peer, a Notify_Wait for every peer (the first one
 * also absorbs the peers' arrival skew), then one SDMA transfer per peer over
 * HCCS (Reduce_Inline when reducing, Memcpy otherwise), all peers in parallel.
 * Plane 0 carries the local copy; plane p carries the link to peer rank p.
 * This mirrors the structure of the real msinsight sample (8-rank mesh
 * all-reduce, 2 MB chunks), with one chunk per peer per phase.
 */

import { collectivePhases } from './npu-model.ts';
import type { CollectiveKind, Efficiency, HardwareModel, Ns } from './npu-model.ts';
import type { Rng } from './prng.ts';
import type { PlaneTask } from './records.ts';

const STAGGER_NS = 280; // successive peers' sub-tasks start 0.28 µs apart, as in the real trace
const NOTIFY_RECORD_NS = 700;
const NO_RANK = 4294967295;
const NO_NOTIFY = '18446744073709551615';
/** On-chip copy bandwidth for the plane-0 local copy, B/ns (the real sample measured 564–614 GB/s). */
const ON_CHIP_B_PER_NS = 600;

export interface CollectiveLayout {
  planes: PlaneTask[];
  endNs: Ns;
}

export function layoutCollective(
  kind: CollectiveKind,
  bytes: number,
  startNs: Ns,
  skewNs: Ns,
  hw: HardwareModel,
  eff: Efficiency,
  rng: Rng,
): CollectiveLayout {
  const peers = hw.npusPerNode - 1;
  const planes: PlaneTask[] = [];
  let ctx = 0;
  const push = (p: Omit<PlaneTask, 'contextId'>): void => {
    planes.push({ ...p, contextId: ctx++ });
  };
  const phases = collectivePhases(kind, bytes, hw.npusPerNode);

  // local copy of this rank's first chunk into the HCCL buffer
  const startDur = Math.round(rng.jitter(eff.collectiveStartUs * 1000, 0.05));
  const localBytes = Math.round(Math.min(phases[0].bytesPerPeer, startDur * ON_CHIP_B_PER_NS));
  push({
    plane: 0, type: 'Memcpy', startNs, durNs: startDur, notifyId: NO_NOTIFY,
    estimatedUs: localBytes / (ON_CHIP_B_PER_NS * 1000), dstRank: 0, transport: 'SDMA',
    sizeBytes: localBytes, dataType: 'INVALID_TYPE', linkType: 'ON_CHIP',
  });
  let t = startNs + startDur;

  phases.forEach((phase, phaseIdx) => {
    const handshakeNs = Math.round(rng.jitter(eff.collectivePhaseUs * 1000, 0.1)) + (phaseIdx === 0 ? skewNs : 0);
    const handshakeEnd = t + handshakeNs;
    for (let p = 1; p <= peers; p++) {
      push({
        plane: p, type: 'Notify_Record', startNs: t + (p - 1) * STAGGER_NS, durNs: Math.round(rng.jitter(NOTIFY_RECORD_NS, 0.1)),
        notifyId: String((BigInt(p) << 32n) + BigInt(60 + 4 * p - 4 * (phaseIdx % 2))), estimatedUs: 1, dstRank: p,
        transport: 'SDMA', sizeBytes: 0, dataType: 'INVALID_TYPE', linkType: 'INVALID_TYPE',
      });
    }
    const waitStart = t + peers * STAGGER_NS + 1200;
    for (let p = 1; p <= peers; p++) {
      const s = waitStart + (p - 1) * 740;
      // the last peer to arrive ends the handshake; the others signalled a little earlier
      const end = p === 1 + (phaseIdx * 3) % peers ? handshakeEnd : Math.max(s, handshakeEnd - rng.int(0, 1500));
      push({
        plane: p, type: 'Notify_Wait', startNs: s, durNs: Math.max(0, end - s), notifyId: String(56 + 4 * p),
        estimatedUs: 0.02, dstRank: p, transport: 'LOCAL', sizeBytes: 0, dataType: 'INVALID_TYPE', linkType: 'INVALID_TYPE',
      });
    }
    // all-to-all sizes differ per peer (routing imbalance); collectives are even
    const sizes: number[] = [];
    for (let p = 1; p <= peers; p++) sizes.push(Math.round(kind === 'alltoallv' ? rng.jitter(phase.bytesPerPeer, 0.2) : phase.bytesPerPeer));
    const slowest = kind === 'alltoallv' ? sizes.indexOf(Math.max(...sizes)) + 1 : peers;
    // the slowest transfer sets the phase (jittered once, so the mean stays nominal); the others end a little earlier
    // (a tiny phase still lasts until the last, staggered, peer has started)
    const phaseNs = Math.max(Math.round(rng.jitter(sizes[slowest - 1] / hw.hccsPeerGBps, 0.02)), (peers - 1) * STAGGER_NS + 200);
    const dataEnd = handshakeEnd + phaseNs;
    for (let p = 1; p <= peers; p++) {
      const size = sizes[p - 1];
      const s = handshakeEnd + (p - 1) * STAGGER_NS;
      const full = dataEnd - s;
      const dur = p === slowest ? full : Math.max(1, Math.round(full * (size / sizes[slowest - 1])) - rng.int(0, 500));
      push({
        plane: p, type: phase.phase === 'reduce' ? 'Reduce_Inline' : 'Memcpy', startNs: s, durNs: dur,
        notifyId: phase.phase === 'reduce' ? '0' : NO_NOTIFY, estimatedUs: size / (hw.hccsPeerGBps * 1000),
        dstRank: p, transport: 'SDMA', sizeBytes: size, dataType: phase.phase === 'reduce' ? 'BF16' : 'INVALID_TYPE', linkType: 'HCCS',
      });
    }
    t = dataEnd;
  });

  // completion: tell every peer we are done and wait for theirs
  const endDur = Math.round(rng.jitter(eff.collectiveEndUs * 1000, 0.1));
  for (let p = 1; p <= peers; p++) {
    push({
      plane: p, type: 'Notify_Record', startNs: t + (p - 1) * 100, durNs: 600, notifyId: String((BigInt(p) << 32n) + BigInt(56 + 4 * p)),
      estimatedUs: 1, dstRank: p, transport: 'SDMA', sizeBytes: 0, dataType: 'INVALID_TYPE', linkType: 'INVALID_TYPE',
    });
  }
  const endNs = t + Math.max(endDur, (peers - 1) * 100 + 600);
  push({
    plane: 0, type: 'Reduce_Inline', startNs: endNs - 600, durNs: 600, notifyId: '0', estimatedUs: 0.6,
    dstRank: NO_RANK, transport: 'SDMA', sizeBytes: 4, dataType: 'INT32', linkType: 'ON_CHIP',
  });
  return { planes, endNs };
}
