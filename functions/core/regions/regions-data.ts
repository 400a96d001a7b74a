import * as z from 'zod';

/** The shape of data/regions.json, written by scripts/extract-regions.ts from idn-area-data. */
export const RegionsData = z.object({
  source: z.string(),
  regencies: z.array(
    z.object({
      code: z.string().regex(/^\d{2}\.\d{2}$/),
      name: z.string(),
      districts: z.array(z.object({ code: z.string().regex(/^\d{2}\.\d{2}\.\d{2}$/), name: z.string() })),
      villages: z.array(
        z.object({
          code: z.string().regex(/^\d{2}\.\d{2}\.\d{2}\.\d{4}$/),
          name: z.string(),
          districtCode: z.string(),
        }),
      ),
    }),
  ),
});
export type RegionsData = z.infer<typeof RegionsData>;
