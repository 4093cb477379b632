import { z } from 'zod';

/** The most users one alert may name (a bigger report is refused, not truncated). */
export const MAX_ALERT_USERS = 500;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A UPN: local part and a dotted domain; no spaces, angle brackets or quotes that could smuggle markup.
const UPN = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

const userRef = z
  .string()
  .trim()
  .min(1)
  .max(320)
  .refine((value) => GUID.test(value) || UPN.test(value), 'must be a user principal name or an object id');

export const alertSchema = z
  .object({
    users: z.array(userRef).min(1).max(MAX_ALERT_USERS),
    alertId: z.string().trim().min(1).max(200),
    source: z.string().trim().min(1).max(100),
    severity: z
      .string()
      .transform((value) => value.toLowerCase())
      .pipe(z.enum(['informational', 'low', 'medium', 'high'])),
    title: z.string().trim().min(1).max(500),
    // Only https links: the card renders it as a button, and javascript:/data: links are attacks.
    link: z
      .url({ protocol: /^https$/ })
      .max(2000)
      .optional(),
  })
  .strict();

export type Alert = z.infer<typeof alertSchema>;

/** What an accepted alert turns into (the Teams side posts the "possible compromise" card). */
export interface AlertSink {
  raise(alert: Alert): Promise<{ reference: string }>;
}
