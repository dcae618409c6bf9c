/** Brazil's ring cadence (425 Hz, 1 s on, 4 s off), which is also a neutral ring elsewhere. */
const TONE_HZ = 425;
const ON_SECONDS = 1;
const PERIOD_MS = 5000;

let sharedContext: AudioContext | null = null;
let unlockInstalled = false;

function audioContext(): AudioContext | null {
  const Context = globalThis.AudioContext ?? (globalThis as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Context) {
    return null;
  }
  sharedContext ??= new Context();
  return sharedContext;
}

/**
 * Browsers keep an AudioContext suspended until the user interacts with the page; resuming it on the first
 * pointer or key press lets a later incoming call ring even though it arrives without a gesture.
 */
export function installAutoplayUnlock(target: EventTarget = globalThis.document): void {
  if (unlockInstalled || !target) {
    return;
  }
  unlockInstalled = true;
  const unlock = () => {
    const context = audioContext();
    void context?.resume().catch(() => undefined);
    target.removeEventListener('pointerdown', unlock, true);
    target.removeEventListener('keydown', unlock, true);
  };
  target.addEventListener('pointerdown', unlock, true);
  target.addEventListener('keydown', unlock, true);
}

/** Plays the ringing sound with WebAudio while an incoming call waits; no audio files. */
export class Ringer {
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly nodes = new Set<OscillatorNode>();

  get ringing(): boolean {
    return this.timer !== null;
  }

  start(): void {
    if (this.timer !== null) {
      return;
    }
    this.burst();
    this.timer = setInterval(() => this.burst(), PERIOD_MS);
  }

  stop(): void {
    if (this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
    for (const node of this.nodes) {
      try {
        node.stop();
      } catch {
        // Already stopped.
      }
    }
    this.nodes.clear();
  }

  private burst(): void {
    const context = audioContext();
    if (!context) {
      return;
    }
    if (context.state === 'suspended') {
      void context.resume().catch(() => undefined);
    }
    const start = context.currentTime;
    const gain = context.createGain();
    gain.gain.setValueAtTime(0, start);
    gain.gain.linearRampToValueAtTime(0.2, start + 0.02);
    gain.gain.setValueAtTime(0.2, start + ON_SECONDS - 0.02);
    gain.gain.linearRampToValueAtTime(0, start + ON_SECONDS);
    gain.connect(context.destination);
    const oscillator = context.createOscillator();
    oscillator.frequency.value = TONE_HZ;
    oscillator.connect(gain);
    oscillator.onended = () => {
      this.nodes.delete(oscillator);
      oscillator.disconnect();
      gain.disconnect();
    };
    this.nodes.add(oscillator);
    oscillator.start(start);
    oscillator.stop(start + ON_SECONDS);
  }
}
