import { TestBed } from '@angular/core/testing';
import { FakeMediaDevices, FakePageVisibility } from '../../testing/fake-media-devices';
import { MEDIA_DEVICES, PAGE_VISIBILITY } from '../core/browser.tokens';
import { LocalMediaService } from './local-media.service';

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** `null`: a browser without navigator.mediaDevices. */
function setup(devices: Partial<MediaDevices> | FakeMediaDevices | null = new FakeMediaDevices()) {
  const visibility = new FakePageVisibility();
  TestBed.configureTestingModule({
    providers: [
      LocalMediaService,
      { provide: MEDIA_DEVICES, useValue: devices instanceof FakeMediaDevices ? devices.asMediaDevices() : (devices ?? undefined) },
      { provide: PAGE_VISIBILITY, useValue: visibility },
    ],
  });
  return { media: TestBed.inject(LocalMediaService), visibility };
}

describe('LocalMediaService', () => {
  describe('capture once and reuse', () => {
    it('asks for camera and microphone in one getUserMedia, and asks nothing more when started again', async () => {
      const devices = new FakeMediaDevices();
      const { media } = setup(devices);
      await media.start();
      await media.start();
      expect(devices.log).toEqual(['getUserMedia audio+video']);
      expect(media.cameraTrack()).toBe(devices.latest('video'));
      expect(media.micTrack()).toBe(devices.latest('audio'));
    });

    it('asks for each alone when the joint request fails, and says which one is missing', async () => {
      const devices = new FakeMediaDevices();
      devices.missing.add('video');
      const { media } = setup(devices);
      await media.start();
      expect(devices.log).toEqual(['getUserMedia audio+video', 'getUserMedia audio', 'getUserMedia video']);
      expect(media.micTrack()).toBe(devices.latest('audio'));
      expect(media.problem()).toBe('no-camera');
    });

    it('stops the running camera BEFORE asking for another one (iOS would end the new or freeze the old)', async () => {
      const devices = new FakeMediaDevices();
      const { media } = setup(devices);
      await media.start();
      const front = media.cameraTrack();
      await media.selectCamera('back');
      expect(devices.log.slice(1)).toEqual(['stop video:front', 'getUserMedia video']);
      expect(front?.readyState).toBe('ended');
      expect(media.cameraTrack()?.getSettings().deviceId).toBe('back');
    });

    it('stops the microphone before asking for another one too', async () => {
      const devices = new FakeMediaDevices();
      const { media } = setup(devices);
      await media.start();
      await media.selectMicrophone('mic');
      expect(devices.log.slice(1)).toEqual(['stop audio:mic', 'getUserMedia audio']);
    });
  });

  describe('front and back camera', () => {
    it('offers the switch where the device lists more than one camera, and not with one', async () => {
      const devices = new FakeMediaDevices();
      const { media } = setup(devices);
      await media.start();
      expect(media.canSwitchCamera()).toBe(true);

      TestBed.resetTestingModule();
      const single = new FakeMediaDevices();
      single.cameras = [{ deviceId: 'front', facingMode: 'user' }];
      const alone = setup(single).media;
      await alone.start();
      expect(alone.canSwitchCamera()).toBe(false);
    });

    it('switches by facingMode, from the front to the back and back again, stopping the old track first', async () => {
      const devices = new FakeMediaDevices();
      const { media } = setup(devices);
      await media.start();
      expect(await media.switchCamera()).toBe(true);
      expect(devices.getUserMedia).toHaveBeenLastCalledWith({ video: expect.objectContaining({ facingMode: { exact: 'environment' } }) });
      expect(devices.log.slice(-2)).toEqual(['stop video:front', 'getUserMedia video']);
      expect(media.cameraTrack()?.getSettings().facingMode).toBe('environment');
      await media.switchCamera();
      expect(media.cameraTrack()?.getSettings().facingMode).toBe('user');
    });

    it('falls back to the next camera in the list when both cameras face the same way', async () => {
      const devices = new FakeMediaDevices();
      devices.cameras = [
        { deviceId: 'wide', facingMode: 'user' },
        { deviceId: 'tele', facingMode: 'user' },
      ];
      const { media } = setup(devices);
      await media.start();
      devices.getUserMedia.mockImplementationOnce(async () => {
        throw Object.assign(new Error('no camera faces that way'), { name: 'OverconstrainedError' });
      });
      expect(await media.switchCamera()).toBe(true);
      expect(media.cameraTrack()?.getSettings().deviceId).toBe('tele');
      expect(media.problem()).toBeNull();
    });

    it('without facingMode (two webcams on a laptop), goes to the next camera in the list', async () => {
      const devices = new FakeMediaDevices();
      devices.cameras = [{ deviceId: 'left' }, { deviceId: 'right' }];
      const { media } = setup(devices);
      await media.start();
      await media.switchCamera();
      expect(media.cameraTrack()?.getSettings().deviceId).toBe('right');
      await media.switchCamera();
      expect(media.cameraTrack()?.getSettings().deviceId).toBe('left');
    });
  });

  describe('tracks the system takes away', () => {
    it('counts a camera the system muted as off (the others are told, not shown a frozen frame) until it unmutes', async () => {
      const devices = new FakeMediaDevices();
      const { media } = setup(devices);
      await media.start();
      devices.latest('video')?.systemMute();
      expect(media.cameraOn()).toBe(false);
      expect(media.cameraInterrupted()).toBe(true);
      devices.latest('video')?.systemUnmute();
      expect(media.cameraOn()).toBe(true);
      expect(devices.getUserMedia).toHaveBeenCalledTimes(1);
    });

    it('captures an ended camera again when the page is visible again, not while it is hidden', async () => {
      const devices = new FakeMediaDevices();
      const { media, visibility } = setup(devices);
      await media.start();
      visibility.set(false);
      devices.latest('video')?.systemEnd();
      expect(media.cameraTrack()).toBeNull();
      expect(media.cameraOn()).toBe(false);
      await settle();
      expect(devices.getUserMedia).toHaveBeenCalledTimes(1);

      visibility.set(true);
      await settle();
      expect(devices.log.at(-1)).toBe('getUserMedia video');
      expect(media.cameraTrack()).toBe(devices.latest('video'));
      expect(media.cameraOn()).toBe(true);
    });

    it('replaces a camera still muted when the page returns, stopping the muted one first', async () => {
      const devices = new FakeMediaDevices();
      const { media, visibility } = setup(devices);
      await media.start();
      const muted = devices.latest('video');
      muted?.systemMute();
      visibility.set(true);
      await settle();
      expect(devices.log.slice(1)).toEqual(['stop video:front', 'getUserMedia video']);
      expect(media.cameraTrack()).not.toBe(muted);
      expect(media.cameraOn()).toBe(true);
    });

    it('captures an ended microphone again too, keeping it muted if the person had muted it', async () => {
      const devices = new FakeMediaDevices();
      const { media, visibility } = setup(devices);
      await media.start();
      await media.setMicEnabled(false);
      devices.latest('audio')?.systemEnd();
      visibility.set(true);
      await settle();
      expect(media.micTrack()).toBe(devices.latest('audio'));
      expect(media.micTrack()?.enabled).toBe(false);
    });

    it('does not bring back a camera the person turned off, nor anything after stopAll', async () => {
      const devices = new FakeMediaDevices();
      const { media, visibility } = setup(devices);
      await media.start();
      devices.latest('video')?.systemMute();
      await media.setCameraEnabled(false);
      visibility.set(true);
      await settle();
      expect(media.cameraTrack()).toBeNull();

      devices.latest('audio')?.systemEnd();
      media.stopAll();
      visibility.set(true);
      await settle();
      expect(devices.getUserMedia).toHaveBeenCalledTimes(1);
    });

    it('stops listening for visibility when destroyed', async () => {
      const { visibility } = setup();
      expect(visibility.listenerCount).toBe(1);
      TestBed.resetTestingModule();
      expect(visibility.listenerCount).toBe(0);
    });
  });

  it('offers screen sharing only where getDisplayMedia exists (phones have none)', () => {
    expect(setup({ getUserMedia: jest.fn() }).media.canShareScreen).toBe(false);
    TestBed.resetTestingModule();
    expect(setup({ getUserMedia: jest.fn(), getDisplayMedia: jest.fn() }).media.canShareScreen).toBe(true);
    TestBed.resetTestingModule();
    expect(setup(null).media.canShareScreen).toBe(false);
  });
});
