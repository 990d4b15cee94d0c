/** Pixel comparisons of screenshots, decoded by the browser (no PNG decoder installed here). */
import type { Browser } from 'playwright-core';

/** Share (0..1) of pixels whose channels differ by more than `tolerance` between two PNGs of one size. */
export async function pixelDifference(browser: Browser, a: Buffer, b: Buffer, tolerance = 16): Promise<number> {
  const page = await browser.newPage();
  try {
    return await page.evaluate(
      async ([first, second, tol]) => {
        const decode = async (base64: string) => {
          const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${base64}`)).blob());
          const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
          const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
          context.drawImage(bitmap, 0, 0);
          return context.getImageData(0, 0, bitmap.width, bitmap.height);
        };
        const [x, y] = await Promise.all([decode(first), decode(second)]);
        if (x.width !== y.width || x.height !== y.height) return 1;
        let differing = 0;
        for (let i = 0; i < x.data.length; i += 4) {
          if ([0, 1, 2].some((c) => Math.abs(x.data[i + c] - y.data[i + c]) > tol)) differing++;
        }
        return differing / (x.width * x.height);
      },
      [a.toString('base64'), b.toString('base64'), tolerance] as const,
    );
  } finally {
    await page.close();
  }
}
