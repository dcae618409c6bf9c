import type { Problem } from './reasons';

/** The subset of `navigator` the microphone check needs, so tests can pass their own. */
export interface MediaNavigator {
  permissions?: { query(descriptor: { name: PermissionName }): Promise<PermissionStatus> };
  mediaDevices?: { enumerateDevices?(): Promise<MediaDeviceInfo[]> };
}

/** What the check found, and how to hear about later permission changes. */
export interface MicrophoneCheck {
  problem: Extract<Problem, `microphone-${string}`> | null;
  /** The permission object, when the browser offers one, to watch for `change`. */
  permission?: PermissionStatus;
}

/**
 * Looks for a microphone problem without prompting the user: a denied permission, or no audio input at all.
 * Browsers without the Permissions API (or without "microphone" in it) simply report no problem.
 */
export async function checkMicrophone(nav: MediaNavigator = navigator): Promise<MicrophoneCheck> {
  let permission: PermissionStatus | undefined;
  try {
    permission = await nav.permissions?.query({ name: 'microphone' as PermissionName });
  } catch {
    permission = undefined;
  }
  if (permission?.state === 'denied') {
    return { problem: 'microphone-denied', permission };
  }
  try {
    const devices = await nav.mediaDevices?.enumerateDevices?.();
    if (devices && !devices.some((device) => device.kind === 'audioinput')) {
      return { problem: 'microphone-missing', ...(permission ? { permission } : {}) };
    }
  } catch {
    // Enumeration can fail in restricted frames; that alone says nothing about the microphone.
  }
  return { problem: null, ...(permission ? { permission } : {}) };
}
