import * as z from 'zod';

/** A product to store: the seed's `{ id, name, price }`, bounded so no event can be abusive. */
export const ProductInput = z
  .object({
    id: z.string().trim().min(1).max(256),
    name: z.string().trim().min(1).max(1024),
    price: z.number().finite().nonnegative().max(1_000_000_000),
    /** Accepted for clients that send one everywhere; not needed: a put by id is already idempotent. */
    idempotencyKey: z.string().trim().min(1).max(256).optional(),
  })
  .strict();

export type ProductInput = z.infer<typeof ProductInput>;
