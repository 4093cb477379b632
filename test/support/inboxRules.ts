import type { InboxRule, InboxRuleConditions } from '../../src/m365/types';

export type InboxRuleOverrides = Partial<Omit<InboxRule, 'conditions' | 'actions'>> & {
  conditions?: Partial<InboxRuleConditions>;
  actions?: Partial<InboxRule['actions']>;
};

/** An enabled, visible Exchange inbox rule that matches and does nothing but what the test names. */
export function inboxRule(overrides: InboxRuleOverrides = {}): InboxRule {
  const { conditions, actions, ...rest } = overrides;
  return {
    id: 'r1',
    source: 'exchange',
    name: 'My rule',
    enabled: true,
    hidden: false,
    readOnly: false,
    priority: 1,
    ...rest,
    conditions: {
      subjectContains: [],
      bodyContains: [],
      subjectOrBodyContains: [],
      fromAddresses: [],
      senderContains: [],
      ...conditions,
    },
    actions: {
      forwardTo: [],
      redirectTo: [],
      forwardAsAttachmentTo: [],
      delete: false,
      permanentDelete: false,
      markAsRead: false,
      stopProcessingRules: false,
      ...actions,
    },
  };
}
