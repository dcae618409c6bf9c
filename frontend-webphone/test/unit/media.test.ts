import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkMicrophone, type MediaNavigator } from '../../src/phone/microphone';

function navigatorWith(permission: PermissionState | 'throws', devices: string[] | 'throws'): MediaNavigator {
  return {
    permissions: {
      query: async () => {
        if (permission === 'throws') {
          throw new TypeError("'microphone' is not a valid permission name");
        }
        return { state: permission } as PermissionStatus;
      },
    },
    mediaDevices: {
      enumerateDevices: async () => {
        if (devices === 'throws') {
          throw new Error('not allowed');
        }
        return devices.map((kind) => ({ kind }) as MediaDeviceInfo);
      },
    },
  };
}

describe('microphone check', () => {
  it('reports a denied permission without prompting', async () => {
    expect((await checkMicrophone(navigatorWith('denied', ['audioinput']))).problem).toBe('microphone-denied');
  });

  it('reports a missing microphone', async () => {
    expect((await checkMicrophone(navigatorWith('prompt', ['videoinput', 'audiooutput']))).problem).toBe('microphone-missing');
  });

  it('finds no problem with a microphone and no refusal', async () => {
    const result = await checkMicrophone(navigatorWith('granted', ['audioinput']));
    expect(result.problem).toBeNull();
    expect(result.permission?.state).toBe('granted');
  });

  it('says nothing when the browser cannot tell', async () => {
    expect((await checkMicrophone(navigatorWith('throws', 'throws'))).problem).toBeNull();
    expect((await checkMicrophone({})).problem).toBeNull();
  });
});

describe('ringer', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  function fakeAudio() {
    const started: number[] = [];
    const contexts: { resume: ReturnType<typeof vi.fn>; state: string }[] = [];
    class FakeAudioContext {
      state = 'suspended';
      currentTime = 0;
      destination = {};
      resume = vi.fn(async () => {
        this.state = 'running';
      });
      constructor() {
        contexts.push(this);
      }
      createGain() {
        return { gain: { setValueAtTime() {}, linearRampToValueAtTime() {} }, connect() {}, disconnect() {} };
      }
      createOscillator() {
        return {
          frequency: { value: 0 },
          connect() {},
          disconnect() {},
          start: (at: number) => started.push(at),
          stop() {},
          onended: null,
        };
      }
    }
    vi.stubGlobal('AudioContext', FakeAudioContext);
    return { started, contexts };
  }

  it('rings one burst every five seconds until stopped, with no audio file', async () => {
    vi.useFakeTimers();
    const audio = fakeAudio();
    const { Ringer } = await import('../../src/phone/ringer');
    const ringer = new Ringer();
    ringer.start();
    ringer.start();
    expect(audio.started).toHaveLength(1);
    vi.advanceTimersByTime(15_000);
    expect(audio.started).toHaveLength(4);
    ringer.stop();
    expect(ringer.ringing).toBe(false);
    vi.advanceTimersByTime(15_000);
    expect(audio.started).toHaveLength(4);
  });

  it('resumes the audio context on the first key or pointer press only', async () => {
    const audio = fakeAudio();
    const { installAutoplayUnlock } = await import('../../src/phone/ringer');
    const target = new EventTarget();
    installAutoplayUnlock(target);
    expect(audio.contexts).toHaveLength(0);
    target.dispatchEvent(new Event('keydown'));
    expect(audio.contexts).toHaveLength(1);
    expect(audio.contexts[0]!.resume).toHaveBeenCalledOnce();
    target.dispatchEvent(new Event('pointerdown'));
    expect(audio.contexts[0]!.resume).toHaveBeenCalledOnce();
  });
});
