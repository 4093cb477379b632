import { SimHttpError } from '../http';

/**
 * PowerShell-style parameter binding for cmdlets run through InvokeCommand:
 * names are case-insensitive, unknown names and missing mandatory ones fail the
 * way PowerShell does (ParameterBindingException). Codes are the simulator's.
 */

export type ParameterKind = 'string' | 'nullableString' | 'boolean' | 'int' | 'stringArray' | 'any';

export interface CmdletSignature {
  parameters: Record<string, ParameterKind>;
  mandatory?: string[];
}

/** Common parameters every cmdlet accepts; they do not change the simulated result. */
const commonParameters = [
  'Confirm',
  'ErrorAction',
  'WarningAction',
  'Verbose',
  'Debug',
  'Force',
  'ResultSize',
];

export const bindingError = (message: string): SimHttpError =>
  new SimHttpError(
    400,
    'ParameterBindingException',
    message,
    {},
    'System.Management.Automation.ParameterBindingException',
  );

function coerce(name: string, kind: ParameterKind, value: unknown): unknown {
  const invalid = (): SimHttpError =>
    bindingError(
      `Cannot process argument transformation on parameter '${name}'. Cannot convert value "${String(value)}".`,
    );
  switch (kind) {
    case 'string':
      if (typeof value === 'string' && value !== '') return value;
      if (typeof value === 'number') return String(value);
      throw invalid();
    case 'nullableString':
      if (value === null || value === '') return null;
      if (typeof value === 'string') return value;
      throw invalid();
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string' && /^\$?(true|false)$/i.test(value)) return /true/i.test(value);
      throw invalid();
    case 'int':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
      throw invalid();
    case 'stringArray':
      if (value === null) return [];
      if (typeof value === 'string') return [value];
      if (Array.isArray(value) && value.every((item): item is string => typeof item === 'string'))
        return value;
      throw invalid();
    default:
      return value;
  }
}

export function bindParameters(
  cmdlet: string,
  signature: CmdletSignature,
  raw: unknown,
): Record<string, unknown> {
  if (raw !== undefined && raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) {
    throw bindingError(`Parameters of ${cmdlet} must be an object.`);
  }
  const bound: Record<string, unknown> = {};
  const names = Object.keys(signature.parameters);
  for (const [given, value] of Object.entries(raw ?? {})) {
    const name = names.find((candidate) => candidate.toLowerCase() === given.toLowerCase());
    if (name === undefined) {
      if (commonParameters.some((common) => common.toLowerCase() === given.toLowerCase())) continue;
      throw bindingError(`A parameter cannot be found that matches parameter name '${given}'.`);
    }
    bound[name] = coerce(name, signature.parameters[name] ?? 'any', value);
  }
  const missing = (signature.mandatory ?? []).filter((name) => bound[name] === undefined);
  if (missing.length > 0) {
    throw bindingError(
      `Cannot process command because of one or more missing mandatory parameters: ${missing.join(' ')}.`,
    );
  }
  return bound;
}

export const objectNotFound = (identity: string): SimHttpError =>
  new SimHttpError(
    404,
    'ManagementObjectNotFound',
    `The operation couldn't be performed because object '${identity}' couldn't be found on 'SIMDC01.contoso.simulated'.`,
    {},
    'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException',
  );

export const invalidArgument = (message: string): SimHttpError =>
  new SimHttpError(400, 'InvalidArgument', message, {}, 'Microsoft.Exchange.Data.DataValidationException');

export const str = (params: Record<string, unknown>, name: string): string | undefined => {
  const value = params[name];
  return typeof value === 'string' ? value : undefined;
};
