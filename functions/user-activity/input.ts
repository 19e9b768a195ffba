import * as z from 'zod';

/** Whose activity, and what they did (the seed records `login`). */
export const UserActivityInput = z
  .object({
    userId: z.string().trim().min(1).max(128),
    action: z
      .string()
      .regex(/^[a-z][a-z0-9_.-]{0,63}$/, 'lowercase letters, digits, ".", "_" or "-", starting with a letter, at most 64')
      .default('login'),
    /** A client's key for this event: a retry with the same key writes nothing new and gets the first answer. */
    idempotencyKey: z.string().trim().min(1).max(256).optional(),
  })
  .strict();

export type UserActivityInput = z.infer<typeof UserActivityInput>;
