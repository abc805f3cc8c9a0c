import type { Template } from './assembly';

/** What a resource resolves to: its `Ref` value and its `Fn::GetAtt` attributes. */
export interface ResourceValues {
  readonly ref: string;
  readonly attributes: Record<string, string | (() => string)>;
}

export interface ResolverContext {
  readonly stackName: string;
  readonly template: Template;
  readonly region: string;
  readonly accountId: string;
  /** Values of this stack's resources by logical id. */
  readonly resource: (logicalId: string) => ResourceValues | undefined;
  /** Value of an export of any stack of the app (`Fn::ImportValue`). */
  readonly importValue: (name: string) => unknown;
}

/** Thrown when a template uses an intrinsic the local runtime cannot resolve. */
export class UnresolvableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnresolvableError';
  }
}

const NO_VALUE = Symbol('AWS::NoValue');

/**
 * Resolves CloudFormation intrinsics (Ref, Fn::GetAtt, Fn::Join, Fn::Sub,
 * Fn::Select, Fn::Split, Fn::If and conditions, Fn::FindInMap,
 * Fn::ImportValue, Fn::Base64) against the local resources, so a function's
 * environment carries local table names, queue URLs and ARNs.
 */
export function createResolver(ctx: ResolverContext): (value: unknown) => unknown {
  const pseudo: Record<string, string> = {
    'AWS::Region': ctx.region,
    'AWS::AccountId': ctx.accountId,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': ctx.stackName,
    'AWS::StackId': `arn:aws:cloudformation:${ctx.region}:${ctx.accountId}:stack/${ctx.stackName}/local`,
    'AWS::NotificationARNs': '',
  };

  const ref = (name: string): unknown => {
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (name in pseudo) return pseudo[name];
    const parameter = ctx.template.Parameters?.[name];
    if (parameter) return parameter.Default ?? '';
    const values = ctx.resource(name);
    if (!values) throw new UnresolvableError(`Ref to unknown resource ${name} in ${ctx.stackName}`);
    return values.ref;
  };

  const getAtt = (logicalId: string, attribute: string): string => {
    const values = ctx.resource(logicalId);
    if (!values) throw new UnresolvableError(`Fn::GetAtt of unknown resource ${logicalId} in ${ctx.stackName}`);
    const value = values.attributes[attribute];
    if (value === undefined) {
      throw new UnresolvableError(`Fn::GetAtt ${logicalId}.${attribute} is not known locally`);
    }
    return typeof value === 'function' ? value() : value;
  };

  const condition = (name: string): boolean => {
    const definition = ctx.template.Conditions?.[name];
    if (definition === undefined) throw new UnresolvableError(`Unknown condition ${name}`);
    return Boolean(resolve(definition));
  };

  const sub = (text: string, variables: Record<string, unknown>): string =>
    text.replace(/\$\{([^}!][^}]*)\}/g, (_all, expression: string) => {
      if (expression in variables) return String(resolve(variables[expression]));
      const dot = expression.indexOf('.');
      if (dot > 0 && !expression.startsWith('AWS::')) {
        return getAtt(expression.slice(0, dot), expression.slice(dot + 1));
      }
      return String(ref(expression));
    }).replace(/\$\{!/g, '${');

  function resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(resolve).filter((v) => v !== NO_VALUE);
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [key, arg] = entries[0] as [string, unknown];
      switch (key) {
        case 'Ref':
          return ref(String(arg));
        case 'Fn::GetAtt': {
          const [id, ...attr] = Array.isArray(arg) ? (arg as string[]) : String(arg).split('.');
          return getAtt(String(id), attr.join('.'));
        }
        case 'Fn::Join': {
          const [sep, parts] = arg as [string, unknown];
          return (resolve(parts) as unknown[]).map(String).join(sep);
        }
        case 'Fn::Sub':
          return Array.isArray(arg)
            ? sub(String(arg[0]), (arg[1] ?? {}) as Record<string, unknown>)
            : sub(String(arg), {});
        case 'Fn::Select': {
          const [index, list] = arg as [unknown, unknown];
          return (resolve(list) as unknown[])[Number(resolve(index))];
        }
        case 'Fn::Split': {
          const [sep, text] = arg as [string, unknown];
          return String(resolve(text)).split(sep);
        }
        case 'Fn::Base64':
          return Buffer.from(String(resolve(arg))).toString('base64');
        case 'Fn::ImportValue':
          return ctx.importValue(String(resolve(arg)));
        case 'Fn::FindInMap': {
          const [map, top, second] = (resolve(arg) as unknown[]).map(String) as [string, string, string];
          return ctx.template.Mappings?.[map]?.[top]?.[second];
        }
        case 'Fn::If': {
          const [name, yes, no] = arg as [string, unknown, unknown];
          return resolve(condition(name) ? yes : no);
        }
        case 'Fn::Equals': {
          const [a, b] = resolve(arg) as [unknown, unknown];
          return JSON.stringify(a) === JSON.stringify(b);
        }
        case 'Fn::Not':
          return !(resolve(arg) as unknown[])[0];
        case 'Fn::And':
          return (resolve(arg) as unknown[]).every(Boolean);
        case 'Fn::Or':
          return (resolve(arg) as unknown[]).some(Boolean);
        case 'Condition':
          return condition(String(arg));
        case 'Fn::GetAZs':
          return [`${ctx.region}a`, `${ctx.region}b`, `${ctx.region}c`];
        default:
          if (key.startsWith('Fn::')) throw new UnresolvableError(`${key} is not supported locally`);
      }
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) {
      const resolved = resolve(v);
      if (resolved !== NO_VALUE) out[k] = resolved;
    }
    return out;
  }

  return resolve;
}
