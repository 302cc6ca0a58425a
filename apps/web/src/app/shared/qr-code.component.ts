import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import qrcode from 'qrcode-generator';

/** A QR code of `value` as an image; medium error correction survives a phone camera at an angle. */
@Component({
  selector: 'app-qr-code',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<img [src]="dataUrl()" [alt]="label()" width="180" height="180" />`,
  styles: `img { display: block; width: 180px; height: 180px; image-rendering: pixelated; background: #fff; border-radius: 8px; }`,
})
export class QrCodeComponent {
  readonly value = input.required<string>();
  readonly label = input('');

  protected readonly dataUrl = computed(() => {
    const code = qrcode(0, 'M');
    code.addData(this.value());
    code.make();
    return code.createDataURL(6, 2);
  });
}
