import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { ReleaseMediaDirective } from './release-media.directive';

@Component({
  imports: [ReleaseMediaDirective],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (shown()) {
      <video appReleaseMedia></video>
    }
  `,
})
class HostComponent {
  readonly shown = signal(true);
}

/** The host rendered, its video playing a (stand-in) camera stream. */
async function videoWithStream() {
  const fixture = TestBed.createComponent(HostComponent);
  await fixture.whenStable();
  const video = fixture.nativeElement.querySelector('video') as HTMLVideoElement;
  const stream = { id: 'camera' } as unknown as MediaStream;
  video.srcObject = stream;
  return { fixture, video, stream };
}

describe('ReleaseMediaDirective', () => {
  it('detaches the stream from a video element that Angular removes', async () => {
    const { fixture, video, stream } = await videoWithStream();
    expect(video.srcObject).toBe(stream);

    fixture.componentInstance.shown.set(false);
    await fixture.whenStable();

    expect(fixture.nativeElement.querySelector('video')).toBeNull();
    expect(video.srcObject).toBeNull();
  });

  it('leaves the stream of a video that stays on the page', async () => {
    const { fixture, video, stream } = await videoWithStream();

    fixture.componentInstance.shown.set(true);
    await fixture.whenStable();

    expect(video.srcObject).toBe(stream);
  });
});
