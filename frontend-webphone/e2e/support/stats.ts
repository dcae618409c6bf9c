import os from 'node:os';
import type { Page } from 'playwright-core';
import { waitUntil } from './wait';

export interface AudioStats {
  /** inbound-rtp audio */
  packetsReceived: number;
  bytesReceived: number;
  totalAudioEnergy: number;
  audioLevel: number;
  /** outbound-rtp audio */
  packetsSent: number;
  /** the nominated ICE pair, e.g. "127.0.0.1 -> 127.0.0.1 (host/udp)" */
  pair: string | null;
  /** RTCPeerConnection state */
  connectionState: string;
}

/**
 * Where the page exposes its RTCPeerConnection:
 * - 'element' reads `document.querySelector('voxdesk-phone').peerConnection` (the COMPONENTS.md contract);
 * - 'rig' reads `window.rig.pc()` of the raw JsSIP page.
 */
export type PcSource = 'element' | 'rig';

export async function readAudioStats(page: Page, source: PcSource = 'element'): Promise<AudioStats | null> {
  return page.evaluate(async (src) => {
    const w = window as unknown as { rig?: { pc(): RTCPeerConnection | null } };
    const pc: RTCPeerConnection | null =
      src === 'rig'
        ? (w.rig?.pc() ?? null)
        : ((document.querySelector('voxdesk-phone') as unknown as { peerConnection?: RTCPeerConnection | null } | null)
            ?.peerConnection ?? null);
    if (!pc) return null;
    const report = await pc.getStats();
    const out = {
      packetsReceived: 0,
      bytesReceived: 0,
      totalAudioEnergy: 0,
      audioLevel: 0,
      packetsSent: 0,
      pair: null as string | null,
      connectionState: pc.connectionState,
    };
    const byId = new Map<string, Record<string, unknown>>();
    report.forEach((s: Record<string, unknown>) => byId.set(s.id as string, s));
    report.forEach((s: Record<string, unknown>) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio') {
        out.packetsReceived += Number(s.packetsReceived ?? 0);
        out.bytesReceived += Number(s.bytesReceived ?? 0);
        out.totalAudioEnergy += Number(s.totalAudioEnergy ?? 0);
        out.audioLevel = Math.max(out.audioLevel, Number(s.audioLevel ?? 0));
      } else if (s.type === 'outbound-rtp' && s.kind === 'audio') {
        out.packetsSent += Number(s.packetsSent ?? 0);
      } else if (s.type === 'transport' && s.selectedCandidatePairId) {
        const p = byId.get(s.selectedCandidatePairId as string);
        const l = p && byId.get(p.localCandidateId as string);
        const r = p && byId.get(p.remoteCandidateId as string);
        if (l && r) out.pair = `${l.address ?? l.ip} -> ${r.address ?? r.ip} (${l.candidateType}/${l.protocol})`;
      }
    });
    return out;
  }, source);
}

/**
 * Audio arrives: inbound packets grow by at least `minPackets` AND the decoded audio energy rises by at least
 * `minEnergy` (the fake microphone's beeps reach the other side, not just silence: one beep adds ~0.1, a
 * silent or muted stream adds < 1e-6). Polls until both hold, so a gap between beeps only delays it.
 * The energy is only computed for audio the page plays out: a phone that never plays the remote stream fails.
 */
export async function expectAudioFlowing(
  page: Page,
  label: string,
  opts: { source?: PcSource; minPackets?: number; minEnergy?: number; timeout?: number } = {},
): Promise<{ before: AudioStats; after: AudioStats }> {
  const source = opts.source ?? 'element';
  const minPackets = opts.minPackets ?? 25;
  const minEnergy = opts.minEnergy ?? 0.01;
  const before = await waitUntil(() => readAudioStats(page, source), (s) => s !== null, {
    timeout: 5000,
    message: `${label}: peerConnection available`,
  });
  const after = await waitUntil(
    () => readAudioStats(page, source),
    (s) => !!s && s.packetsReceived - before!.packetsReceived >= minPackets && s.totalAudioEnergy - before!.totalAudioEnergy >= minEnergy,
    { timeout: opts.timeout ?? 10_000, interval: 100, message: `${label}: inbound audio packets and energy rising (from ${JSON.stringify(before)})` },
  );
  return { before: before!, after: after! };
}

/**
 * Inbound audio has stopped. Two reads `windowMs` apart; retried until the deadline, since packets already in
 * flight when hold starts still arrive.
 * - mode 'packets': (almost) no new inbound RTP packets — the peer sends nothing (e.g. the holder's side:
 *   the held party answered the hold offer with recvonly);
 * - mode 'silence': no audio energy arrives (decoded energy grows by at most 1e-4 in the window, against
 *   ~0.05-0.2 per second of a live call with the fake microphone); packets may keep arriving. This is the held
 *   party's side with JsSIP's hold in Chromium: the holder's offer is sendonly and its track is disabled, so
 *   its sender keeps sending ~50 Opus silence packets per second (measured 3-30 bytes each, energy flat); the
 *   same for the far end of a muted phone.
 */
export async function expectAudioStopped(
  page: Page,
  label: string,
  opts: { mode: 'packets' | 'silence'; source?: PcSource; windowMs?: number; timeout?: number },
): Promise<{ first: AudioStats; second: AudioStats }> {
  const source = opts.source ?? 'element';
  const windowMs = opts.windowMs ?? 1000;
  const deadline = Date.now() + (opts.timeout ?? 10_000);
  let last: { first: AudioStats; second: AudioStats } | null = null;
  for (;;) {
    const first = await readAudioStats(page, source);
    // the measurement window of a rate check, not a wait for a state: a live stream gains ~50 packets and
    // some audio energy (the fake microphone beeps several times a second) within 1 s
    await page.waitForTimeout(windowMs);
    const second = await readAudioStats(page, source);
    if (first && second) {
      last = { first, second };
      const packets = second.packetsReceived - first.packetsReceived;
      const energy = second.totalAudioEnergy - first.totalAudioEnergy;
      if (opts.mode === 'packets' ? packets <= 1 : energy <= 1e-4) {
        return last;
      }
    }
    if (Date.now() > deadline) {
      throw new Error(`${label}: inbound audio did not stop (${opts.mode}); last window: ${JSON.stringify(last)}`);
    }
  }
}

/** "+3 packets, 9 bytes, energy +0.0000 in the window" */
export function describeWindow(w: { first: AudioStats; second: AudioStats }): string {
  const p = w.second.packetsReceived - w.first.packetsReceived;
  const b = w.second.bytesReceived - w.first.bytesReceived;
  return `+${p} packets, +${b} bytes, energy +${(w.second.totalAudioEnergy - w.first.totalAudioEnergy).toFixed(4)}`;
}

/** "+52 packets, energy +0.0123, ICE 127.0.0.1 -> 127.0.0.1 (host/udp)" */
export function describeFlow(f: { before: AudioStats; after: AudioStats }): string {
  return `+${f.after.packetsReceived - f.before.packetsReceived} packets, energy +${(f.after.totalAudioEnergy - f.before.totalAudioEnergy).toFixed(4)}, ICE ${f.after.pair}`;
}

/**
 * The nominated ICE pair is a host/udp pair whose both ends are addresses of this machine (loopback, or the
 * machine's own interface address, which the kernel also delivers locally): media never leaves the host.
 */
export function expectPairOnThisMachine(pair: string | null): void {
  const local = new Set<string>(['127.0.0.1', '::1']);
  for (const list of Object.values(os.networkInterfaces())) for (const i of list ?? []) local.add(i.address);
  const m = pair?.match(/^(\S+) -> (\S+) \(host\/udp\)$/);
  if (!m || !local.has(m[1]!) || !local.has(m[2]!)) {
    throw new Error(`ICE pair ${pair} is not a host/udp pair between addresses of this machine (${[...local].join(', ')})`);
  }
}
