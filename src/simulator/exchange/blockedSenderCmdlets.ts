import { objectNotFound, str } from './binding';
import type { Cmdlet } from './cmdlet';

export const blockedSenderCmdlets: Cmdlet[] = [
  {
    name: 'Get-BlockedSenderAddress',
    parameters: { SenderAddress: 'string' },
    run: ({ state, params }) => {
      const sender = str(params, 'SenderAddress')?.toLowerCase();
      return state.blockedSenders
        .filter((entry) => sender === undefined || entry.senderAddress.toLowerCase() === sender)
        .map((entry) => ({
          SenderAddress: entry.senderAddress,
          Reason: entry.reason,
          CreatedDatetime: entry.createdDatetime,
          ChangedDatetime: entry.createdDatetime,
        }));
    },
  },
  {
    name: 'Remove-BlockedSenderAddress',
    parameters: { SenderAddress: 'string', Reason: 'string' },
    mandatory: ['SenderAddress'],
    run: ({ state, params }) => {
      const sender = str(params, 'SenderAddress') ?? '';
      const index = state.blockedSenders.findIndex(
        (entry) => entry.senderAddress.toLowerCase() === sender.toLowerCase(),
      );
      if (index < 0) throw objectNotFound(sender);
      state.blockedSenders.splice(index, 1);
      return [];
    },
  },
];
