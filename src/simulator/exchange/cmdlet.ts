import type { TenantState } from '../fixture';
import type { CmdletSignature } from './binding';

export interface CmdletContext {
  state: TenantState;
  params: Record<string, unknown>;
  now: () => Date;
}

export interface Cmdlet extends CmdletSignature {
  name: string;
  run: (context: CmdletContext) => unknown[];
}
