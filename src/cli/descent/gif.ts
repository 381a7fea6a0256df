// Encodes the race frames as an animated GIF with gifenc (a small, dependency-free, widely used encoder: LZW and the
// GIF container are not worth rewriting). After the first frame, pixels equal to the previous frame are written as
// the transparent index and frames are not disposed, so each frame stores only what changed: the paths' new pieces.
import gifenc from 'gifenc';
import { TRANSPARENT } from '../../viz/render.js';

export interface GifFrames {
  width: number;
  height: number;
  palette: number[][];
  /** Frame delay in milliseconds. */
  delay: number;
  /** Extra hold on the last frame, in milliseconds. */
  holdLast: number;
}

/** Encodes `count` frames; `frameAt(i)` returns frame i (its buffer may be reused for the next frame). */
export function encodeGif(count: number, frameAt: (i: number) => Uint8Array, o: GifFrames): Uint8Array {
  const gif = gifenc.GIFEncoder();
  const previous = new Uint8Array(o.width * o.height);
  const delta = new Uint8Array(o.width * o.height);
  for (let i = 0; i < count; i++) {
    const frame = frameAt(i);
    const delay = i === count - 1 ? o.delay + o.holdLast : o.delay;
    if (i === 0) {
      gif.writeFrame(frame, o.width, o.height, { palette: o.palette, delay, repeat: 0 });
    } else {
      for (let k = 0; k < frame.length; k++) delta[k] = frame[k] === previous[k] ? TRANSPARENT : frame[k]!;
      gif.writeFrame(delta, o.width, o.height, { delay, transparent: true, transparentIndex: TRANSPARENT, dispose: 1 });
    }
    previous.set(frame);
  }
  gif.finish();
  return gif.bytes();
}
