import { Directive, ElementRef, type OnDestroy, inject } from '@angular/core';

/**
 * Detaches a <video>'s stream when Angular removes the element.
 *
 * Why: a removed media element that still holds a camera stream keeps the
 * camera's frames until it is garbage collected. Chromium's capture buffers
 * are shared by every consumer of the camera, so the camera stalls for every
 * one of them (the preview, the own tile, each peer's encoder) for about two
 * seconds: measured as the lobby preview delaying the first frame of a call
 * from about 0.5 s to 2.3 s (docs/performance.md).
 */
@Directive({ selector: 'video[appReleaseMedia]' })
export class ReleaseMediaDirective implements OnDestroy {
  private readonly video = inject<ElementRef<HTMLVideoElement>>(ElementRef).nativeElement;

  ngOnDestroy(): void {
    this.video.srcObject = null;
  }
}
