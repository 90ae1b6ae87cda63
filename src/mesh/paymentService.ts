import { bodyJson, healthReply, json, Router, type MeshReply, type MeshRequest } from './router.ts';

/** Amounts above this are declined (Sock Shop's payment declines large orders too). */
export const DECLINE_OVER_AMOUNT = 1000;

/** payment: authorises an order's amount; calls nothing. */
export function paymentService(): (req: MeshRequest) => Promise<MeshReply> {
  const router = new Router()
    .post('/paymentAuth', (req) => {
      const amount = Number(bodyJson(req)['amount']);
      if (!Number.isFinite(amount) || amount <= 0) return json(400, { authorisation: { authorised: false, message: 'Invalid payment amount' } });
      const authorised = amount <= DECLINE_OVER_AMOUNT;
      return json(200, { authorisation: { authorised, message: authorised ? 'Payment authorised' : 'Payment declined: amount exceeds 1000.00' } });
    })
    .get('/health', () => healthReply('payment'));
  return (req) => router.handle(req, undefined);
}
