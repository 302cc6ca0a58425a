import { DOCUMENT, InjectionToken, inject } from '@angular/core';

/*
 * Browser APIs come in through tokens, so specs hand in fakes (a MediaDevices
 * without a camera, a peer connection that records calls) and nothing reaches
 * for a global.
 */

/** Undefined outside a secure context (plain http on a LAN address): the lobby says so. */
export const MEDIA_DEVICES = new InjectionToken<MediaDevices | undefined>('MEDIA_DEVICES', {
  providedIn: 'root',
  factory: () => (typeof navigator === 'undefined' ? undefined : navigator.mediaDevices),
});

export type PeerConnectionFactory = (configuration: RTCConfiguration) => RTCPeerConnection;

export const PEER_CONNECTION_FACTORY = new InjectionToken<PeerConnectionFactory>('PEER_CONNECTION_FACTORY', {
  providedIn: 'root',
  factory: () => (configuration) => new RTCPeerConnection(configuration),
});

/** False in an engine built without WebRTC (some in-app browsers): the lobby says so instead of joining. */
export const PEER_CONNECTION_SUPPORTED = new InjectionToken<boolean>('PEER_CONNECTION_SUPPORTED', {
  providedIn: 'root',
  factory: () => typeof RTCPeerConnection === 'function',
});

/** False on plain http from anything but localhost: browsers allow neither camera nor microphone there. */
export const SECURE_CONTEXT = new InjectionToken<boolean>('SECURE_CONTEXT', {
  providedIn: 'root',
  factory: () => typeof window === 'undefined' || window.isSecureContext !== false,
});

/** Whether the page is on screen, and a way to hear when that changes (the returned function stops listening). */
export interface PageVisibility {
  visible(): boolean;
  onChange(listener: (visible: boolean) => void): () => void;
}

export const PAGE_VISIBILITY = new InjectionToken<PageVisibility>('PAGE_VISIBILITY', {
  providedIn: 'root',
  factory: () => {
    const document = inject(DOCUMENT);
    const visible = () => document.visibilityState !== 'hidden';
    return {
      visible,
      onChange: (listener) => {
        const handler = () => listener(visible());
        document.addEventListener('visibilitychange', handler);
        return () => document.removeEventListener('visibilitychange', handler);
      },
    };
  },
});

/** The Screen Wake Lock API; undefined where the browser has none (Firefox, iOS before 16.4). */
export const WAKE_LOCK = new InjectionToken<Pick<WakeLock, 'request'> | undefined>('WAKE_LOCK', {
  providedIn: 'root',
  factory: () => (typeof navigator === 'undefined' ? undefined : navigator.wakeLock),
});

/**
 * Whether setting a media element's `volume` does anything. iOS ignores it
 * (volume belongs to the hardware buttons there): the property reads back 1
 * whatever was set, so a volume slider would move and change nothing.
 */
export const VOLUME_ADJUSTABLE = new InjectionToken<boolean>('VOLUME_ADJUSTABLE', {
  providedIn: 'root',
  factory: () => typeof document !== 'undefined' && volumeSticks(document.createElement('audio')),
});

/** Sets a detached element's volume and reads it back: the platform kept it, or ignored it. */
export function volumeSticks(element: Pick<HTMLMediaElement, 'volume'>): boolean {
  try {
    element.volume = 0.5;
    return element.volume === 0.5;
  } catch {
    return false;
  }
}

/** Where remote tracks are gathered for a <video>; jsdom has no MediaStream, so specs hand in a fake. */
export const MEDIA_STREAM_FACTORY = new InjectionToken<() => MediaStream>('MEDIA_STREAM_FACTORY', {
  providedIn: 'root',
  factory: () => () => new MediaStream(),
});

/** `window.matchMedia`, for layouts that follow the screen's shape. */
export const MATCH_MEDIA = new InjectionToken<(query: string) => MediaQueryList>('MATCH_MEDIA', {
  providedIn: 'root',
  factory: () => (query) => window.matchMedia(query),
});

/** Undefined where the browser offers none (plain http on a LAN address): the link stays on screen to copy. */
export const CLIPBOARD = new InjectionToken<Pick<Clipboard, 'writeText'> | undefined>('CLIPBOARD', {
  providedIn: 'root',
  factory: () => (typeof navigator === 'undefined' ? undefined : navigator.clipboard),
});

/** The languages the person prefers, most preferred first (`navigator.languages`). */
export const PREFERRED_LANGUAGES = new InjectionToken<readonly string[]>('PREFERRED_LANGUAGES', {
  providedIn: 'root',
  factory: () => (typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language])),
});

/** localStorage, or memory where the browser refuses it (some private modes throw on access). */
export const STORAGE = new InjectionToken<Storage>('STORAGE', {
  providedIn: 'root',
  factory: () => {
    try {
      const storage = window.localStorage;
      storage.setItem('mesh-meet.probe', '1');
      storage.removeItem('mesh-meet.probe');
      return storage;
    } catch {
      return new MemoryStorage();
    }
  },
});

/** The origin the app was served from: API and signaling live there too. */
export const APP_ORIGIN = new InjectionToken<string>('APP_ORIGIN', {
  providedIn: 'root',
  factory: () => window.location.origin,
});

/**
 * Runs `listener` when the page is being left: the tab closed, another site
 * opened, or the page put in the back/forward cache (`pagehide`, the event
 * browsers fire then, phones included). The returned function stops listening.
 */
export const ON_PAGE_HIDE = new InjectionToken<(listener: () => void) => () => void>('ON_PAGE_HIDE', {
  providedIn: 'root',
  factory: () => (listener) => {
    window.addEventListener('pagehide', listener);
    return () => window.removeEventListener('pagehide', listener);
  },
});

/**
 * Runs `listener` when the browser knows its network changed: it came back
 * `online`, or `navigator.connection` (Network Information API: Chromium,
 * not Firefox or Safari) says the connection changed, as on a switch between
 * Wi-Fi and mobile data. The returned function stops listening.
 */
export const ON_NETWORK_CHANGE = new InjectionToken<(listener: () => void) => () => void>('ON_NETWORK_CHANGE', {
  providedIn: 'root',
  factory: () => (listener) => {
    const connection = (navigator as Navigator & { connection?: EventTarget }).connection;
    window.addEventListener('online', listener);
    connection?.addEventListener('change', listener);
    return () => {
      window.removeEventListener('online', listener);
      connection?.removeEventListener('change', listener);
    };
  },
});

/** A new Web Audio context, or undefined where the browser has none (the cue is then visual only). */
export const AUDIO_CONTEXT_FACTORY = new InjectionToken<() => AudioContext | undefined>('AUDIO_CONTEXT_FACTORY', {
  providedIn: 'root',
  factory: () => () => (typeof AudioContext === 'function' ? new AudioContext() : undefined),
});

export class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  get length(): number {
    return this.items.size;
  }
  clear(): void {
    this.items.clear();
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
  setItem(key: string, value: string): void {
    this.items.set(key, String(value));
  }
}
